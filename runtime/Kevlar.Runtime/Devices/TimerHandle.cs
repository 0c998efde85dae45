// TimerHandle: one message in a timer service's queue that can be called off
// from any CPU (ITimerService.Start). Whoever wins the one compare-exchange
// from Armed decides: the queue's owner fires it (and sends its message) or a
// canceller calls it off (and lets go of its target and message at once, so a
// dead thread's timer holds nothing of it until the deadline; the queue drops
// the empty handle when its owner next sweeps it). Without this, a wait that
// ended early left its timer holding the thread until the deadline, which a
// random timespec puts centuries away.
//
// State: _state is shared (the owner's CPU and any canceller's); the target
// and message are written at construction, before the handle is published to
// the queue, and read or cleared only by the CAS's winner.
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Devices;

public sealed class TimerHandle
{
    private const int Armed = 0, Fired = 1, Cancelled = 2;

    [Shared] private int _state;
    private Actor? _target;
    private Message? _message;

    public readonly ulong Deadline;

    public TimerHandle(ulong deadline, Actor target, Message message)
    {
        Deadline = deadline;
        _target = target;
        _message = message;
    }

    /// <summary>True once the timer was called off (the queue's owner drops the handle).</summary>
    public bool IsCancelled => Atomic.Load(ref _state) == Cancelled;

    /// <summary>Calls the timer off unless it fired already; from any CPU, any number of times.</summary>
    public void Cancel()
    {
        if (Atomic.CompareExchange(ref _state, Cancelled, Armed) != Armed) return;
        _target = null;
        _message = null;
    }

    /// <summary>For the queue's owner at the deadline: true with the target and message to send,
    /// false when the timer was called off.</summary>
    public bool TryFire(out Actor target, out Message message)
    {
        target = null!;
        message = null!;
        if (Atomic.CompareExchange(ref _state, Fired, Armed) != Armed) return false;
        target = _target!;
        message = _message!;
        _target = null;
        _message = null;
        return true;
    }
}

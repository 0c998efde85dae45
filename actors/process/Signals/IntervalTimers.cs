// IntervalTimers: a process's setitimer(2)/alarm(2) timers (getitimer(2),
// kernel/time/itimer.c). ITIMER_REAL counts wall time: the timer service
// sends the process's main thread a RealTimerTick at the deadline, which
// raises SIGALRM and re-arms an interval. ITIMER_VIRTUAL counts the process's
// user time and ITIMER_PROF its user and system time; both are charged
// whenever a thread's time is accounted (each return from user mode, so at
// least every time slice, as Linux charges them per tick) and end in
// SIGVTALRM and SIGPROF. The signals are process-directed, si_code SI_KERNEL.
// Kept across execve, cleared in a fork's child (a new object).
//
// State: the process's, touched only on its threads' CPU (they share it).
// The REAL timer's _generation makes a tick from an older setting stale, and
// the timer of an older setting is called off (_realTimer), as at exit: a
// far deadline left in the queue would hold the process until then.
using Kevlar.Runtime.Devices;

namespace Kevlar.Process.Signals;

public sealed class IntervalTimers
{
    public const int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;

    private readonly UserProcess _process;
    private ulong _realDeadline, _realInterval;
    private bool _realArmed;
    private int _realGeneration;
    private TimerHandle? _realTimer;
    // CPU-time timers: nanoseconds of CPU time left (0: disarmed) and the reload value.
    private ulong _virtualLeft, _virtualInterval, _profLeft, _profInterval;

    public IntervalTimers(UserProcess process) { _process = process; }

    /// <summary>getitimer: the time left (0 when disarmed) and the interval, in ns. An armed timer
    /// that is due reports 1 µs, as Linux does rather than 0.</summary>
    public void Get(int which, out ulong value, out ulong interval)
    {
        switch (which)
        {
            case ITIMER_REAL:
                ulong now = _process.Host.Clock.MonotonicNanoseconds;
                value = !_realArmed ? 0 : _realDeadline > now ? _realDeadline - now : 1000;
                interval = _realInterval;
                return;
            case ITIMER_VIRTUAL:
                value = _virtualLeft;
                interval = _virtualInterval;
                return;
            default:
                value = _profLeft;
                interval = _profInterval;
                return;
        }
    }

    /// <summary>setitimer: arms <paramref name="which"/> for <paramref name="value"/> ns (0 disarms),
    /// then every <paramref name="interval"/> ns. The caller checked <paramref name="which"/>.</summary>
    public void Set(int which, ulong value, ulong interval)
    {
        switch (which)
        {
            case ITIMER_REAL:
                _realGeneration++;
                _realArmed = value != 0;
                _realInterval = interval;
                _realTimer?.Cancel();
                _realTimer = null;
                if (!_realArmed) return;
                _realDeadline = _process.Host.Clock.MonotonicNanoseconds + value;
                ArmReal();
                return;
            case ITIMER_VIRTUAL:
                _virtualLeft = value;
                _virtualInterval = interval;
                return;
            default:
                _profLeft = value;
                _profInterval = interval;
                return;
        }
    }

    private void ArmReal()
    {
        _realTimer?.Cancel();
        _realTimer = _process.Host.Timers.Start(_realDeadline, _process.MainThread, new RealTimerTick(_realGeneration));
    }

    /// <summary>The process has exited: the REAL timer is called off.</summary>
    internal void CancelAll()
    {
        _realArmed = false;
        _realTimer?.Cancel();
        _realTimer = null;
    }

    /// <summary>The REAL deadline of setting <paramref name="generation"/> came (in a handler of the process).</summary>
    internal void OnRealTick(int generation)
    {
        if (generation != _realGeneration || !_realArmed || _process.Exited) return;
        ulong now = _process.Host.Clock.MonotonicNanoseconds;
        if (now < _realDeadline)
        {
            ArmReal(); // early: ask again
            return;
        }
        if (_realInterval == 0) _realArmed = false;
        else
        {
            _realDeadline += _realInterval * (1 + (now - _realDeadline) / _realInterval);
            ArmReal();
        }
        Raise(Signal.SIGALRM);
    }

    /// <summary>A thread ran <paramref name="user"/> ns in user mode and <paramref name="system"/> ns
    /// in the kernel: the CPU-time timers are charged and fire when they run out.</summary>
    internal void Charge(ulong user, ulong system)
    {
        if (_virtualLeft != 0 && Expired(ref _virtualLeft, _virtualInterval, user)) Raise(Signal.SIGVTALRM);
        if (_profLeft != 0 && Expired(ref _profLeft, _profInterval, user + system)) Raise(Signal.SIGPROF);
    }

    private static bool Expired(ref ulong left, ulong interval, ulong spent)
    {
        if (spent < left)
        {
            left -= spent;
            return false;
        }
        if (interval == 0) left = 0;
        else
        {
            ulong over = (spent - left) % interval;
            left = interval - over;
        }
        return true;
    }

    private void Raise(int signal)
    {
        UserThread? target = _process.SignalTarget(signal);
        if (target != null) SignalDelivery.Raise(target, signal, SignalInfo.SI_KERNEL, 0, 0);
    }
}

/// <summary>The timer service's message at an ITIMER_REAL deadline, to the process's main thread.</summary>
public sealed class RealTimerTick : Kevlar.Runtime.Scheduling.Message
{
    public readonly int Generation;

    public RealTimerTick(int generation) { Generation = generation; }
}

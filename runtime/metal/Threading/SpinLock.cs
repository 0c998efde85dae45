// A test-and-test-and-set spinlock for the few places where the metal runtime
// shares raw state between CPUs (the heap's block pool, the frame allocator,
// the serial line). Interrupts are off whenever kernel code runs, so a holder
// is never preempted. Each lock names its class when taken: LockWatch checks
// the order and times the hold.
using System.Threading;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Metal.Threading;

public struct SpinLock
{
    private int _held;
    private LockClass _class;
    private ulong _since;

    public void Enter(LockClass c)
    {
        ulong start = LockWatch.Taking(c);
        bool waited = false;
        while (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            waited = true;
            while (Volatile.Read(ref _held) != 0) Native.Pause();
        }
        _class = c;
        _since = LockWatch.Taken(c, start, waited);
    }

    /// <summary>Spins at most <paramref name="spins"/> times; true when the lock was taken. Not
    /// order-checked: it never waits for good, so it cannot deadlock (a panic report's console).</summary>
    public bool TryEnter(LockClass c, long spins)
    {
        for (long i = 0; i < spins; i++)
        {
            if (Volatile.Read(ref _held) == 0 && Interlocked.CompareExchange(ref _held, 1, 0) == 0)
            {
                _class = c;
                _since = LockWatch.Taken(c, LockWatch.Taking(c, checkOrder: false), false);
                return true;
            }
            Native.Pause();
        }
        return false;
    }

    public void Exit()
    {
        LockWatch.Released(_class, _since);
        Volatile.Write(ref _held, 0);
    }
}

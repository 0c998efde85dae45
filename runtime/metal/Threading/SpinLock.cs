// A test-and-test-and-set spinlock for the few places where the metal runtime
// shares raw state between CPUs (the heap's block pool, the serial line).
// Interrupts are off whenever kernel code runs, so a holder is never preempted.
using System.Threading;

namespace Kevlar.Runtime.Metal.Threading;

public struct SpinLock
{
    private int _held;

    public void Enter()
    {
        while (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
            while (Volatile.Read(ref _held) != 0) Native.Pause();
    }

    /// <summary>Spins at most <paramref name="spins"/> times; true when the lock was taken.</summary>
    public bool TryEnter(long spins)
    {
        for (long i = 0; i < spins; i++)
        {
            if (Volatile.Read(ref _held) == 0 && Interlocked.CompareExchange(ref _held, 1, 0) == 0) return true;
            Native.Pause();
        }
        return false;
    }

    public void Exit() => Volatile.Write(ref _held, 0);
}

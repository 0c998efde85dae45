// EventFd: the actor that owns an eventfd's counter (eventfd(2)), homed on
// the CPU of the thread that made it; every read, write and poll runs here,
// so readers and writers on any CPU see one sequence of values.
//
// State (owned here): _count, the waiters, the edge counters.
// Invariants:
//   1. 0 ≤ _count ≤ Max (0xfffffffffffffffe): a write that would pass Max
//      waits (or is -EAGAIN), it is never truncated.
//   2. Every change wakes the waiters it may concern: a non-zero write wakes
//      readers (POLLIN), a read wakes writers (POLLOUT).
// Waits on: nothing (replies at once; waiting is the caller's FileWaiter).
using System.Threading;

namespace Kevlar.Process.Files.Events;

public sealed class EventFd : FileOwner
{
    public override string DiagnosticName => "eventfd";

    /// <summary>The largest value the counter may hold.</summary>
    public const ulong Max = 0xffff_ffff_ffff_fffe;

    private ulong _count;
    /// <summary>EFD_SEMAPHORE: a read takes 1, not the whole count.</summary>
    public readonly bool Semaphore;
    private readonly WaitQueue _readers = new WaitQueue();
    private readonly WaitQueue _writers = new WaitQueue();
    private long _inputEdges, _outputEdges;

    public EventFd(ulong initial, bool semaphore)
    {
        _count = initial;
        Semaphore = semaphore;
    }

    /// <summary>read: the value taken (1 with EFD_SEMAPHORE, else the whole count), or -EAGAIN when
    /// the count is 0 and <paramref name="waiter"/> is null, else WouldBlock with it registered.
    /// The value travels in <paramref name="value"/>: counts above long.MaxValue do not fit the reply.</summary>
    internal long Take(FileWaiter? waiter, out ulong value)
    {
        value = 0;
        if (_count == 0)
        {
            if (waiter == null) return -Errno.EAGAIN;
            _readers.Add(waiter);
            return FileRequest.WouldBlock;
        }
        value = Semaphore ? 1 : _count;
        _count -= value;
        Volatile.Write(ref _outputEdges, _outputEdges + 1);
        _writers.Wake(Scheduler!, PollEvents.POLLOUT);
        return 8;
    }

    /// <summary>write: adds <paramref name="value"/> (≤ Max): 8, or -EAGAIN when it would pass Max and
    /// <paramref name="waiter"/> is null, else WouldBlock with it registered.</summary>
    internal long Add(ulong value, FileWaiter? waiter)
    {
        if (value > Max - _count)
        {
            if (waiter == null) return -Errno.EAGAIN;
            _writers.Add(waiter);
            return FileRequest.WouldBlock;
        }
        _count += value;
        if (value == 0) return 8;
        Volatile.Write(ref _inputEdges, _inputEdges + 1);
        _readers.Wake(Scheduler!, PollEvents.POLLIN);
        return 8;
    }

    /// <summary>poll: POLLIN when the count is not 0, POLLOUT while a write of 1 would not wait
    /// (Linux's eventfd_poll); registers <paramref name="waiter"/> when none of
    /// <paramref name="events"/> holds.</summary>
    internal long Poll(int events, FileWaiter? waiter)
    {
        int mask = 0;
        if (_count > 0) mask |= PollEvents.POLLIN;
        if (_count < Max) mask |= PollEvents.POLLOUT;
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null)
        {
            // No event asked (epoll's edge-triggered re-arm): either side's change may matter.
            bool any = (events & (PollEvents.POLLIN | PollEvents.POLLOUT)) == 0;
            if (any || (events & PollEvents.POLLIN) != 0) _readers.Add(waiter);
            if (any || (events & PollEvents.POLLOUT) != 0) _writers.Add(waiter);
        }
        return mask;
    }

    /// <summary>Changes that may have made <paramref name="events"/> true; read from any CPU as a hint.</summary>
    public ulong Edges(int events)
    {
        ulong n = 0;
        if ((events & PollEvents.POLLIN) != 0) n += (ulong)Volatile.Read(ref _inputEdges);
        if ((events & PollEvents.POLLOUT) != 0) n += (ulong)Volatile.Read(ref _outputEdges);
        return n;
    }
}

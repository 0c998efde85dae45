// Pipe: the actor that owns a pipe's (or FIFO's) buffer and knows how many
// read and write descriptions are open. Every request runs here, on the
// pipe's home CPU (the CPU of the process that created it), so readers and
// writers on other CPUs see one order of bytes.
//
// State (owned here, touched only in handlers and inline Execute on Home):
//   _pages, _start, _length   a ring of Capacity/4096 slots of one page each,
//                             as Linux keeps a pipe: _used slots from _tail.
//   _count                    bytes held in all slots.
//   Readers, Writers          open read / write descriptions.
//   _closingReaders/Writers   [Shared] last closes made but not yet handled here: the
//                             closer counts them (Closing) before close(2) returns,
//                             so an open or write that comes after, through another
//                             CPU, does not count a closed end as live (LiveReaders).
//   _readWaiters, _writeWaiters  threads waiting for data / for room.
//   _inputEdges, _outputEdges  counts of changes that may make the read /
//                             write side ready (epoll's edge-triggered mode).
// Invariants:
//   1. 0 ≤ _used ≤ slots; _count is the sum of the used slots' lengths.
//   2. A write of at most PIPE_BUF bytes is stored whole or not at all: it
//      merges into the last slot only when it fits there whole, else it takes
//      a fresh slot (Linux's pipe_write, so fill levels match Linux's).
//   3. Every change that adds data, frees room or closes an end wakes the
//      waiters it may concern (readers on data or on the last writer's close,
//      writers on room or on the last reader's close).
// Waits on: nothing (replies at once; waiting is the caller's FileWaiter).
using System;
using System.Threading;

namespace Kevlar.Process.Files.Pipes;

public sealed class Pipe : FileOwner
{
    public override string DiagnosticName => "pipe";

    /// <summary>Writes of at most this many bytes are atomic (Linux's PIPE_BUF).</summary>
    public const int PIPE_BUF = 4096;
    /// <summary>The default capacity: 16 pages, as on Linux.</summary>
    public const int DefaultCapacity = 65536;
    /// <summary>/proc/sys/fs/pipe-max-size's default: the most an unprivileged F_SETPIPE_SZ may ask.</summary>
    public const int MaxCapacity = 1048576;
    private const int PageSize = 4096;
    /// <summary>PIPE_BUF: a write of at most this many bytes is stored whole or not at all (Put).</summary>
    public const int PipeBuf = PageSize;

    private static long s_nextInode = 1000;

    private byte[]?[] _pages = new byte[]?[DefaultCapacity / PageSize];
    private int[] _start = new int[DefaultCapacity / PageSize];
    private int[] _length = new int[DefaultCapacity / PageSize];
    private int _tail, _used, _count;
    public int Readers, Writers;
    [Kevlar.Runtime.Threading.Shared] private int _closingReaders, _closingWriters;

    /// <summary>Readers / writers open and not being closed (see the top).</summary>
    public int LiveReaders => Readers - Kevlar.Runtime.Threading.Atomic.Load(ref _closingReaders);
    public int LiveWriters => Writers - Kevlar.Runtime.Threading.Atomic.Load(ref _closingWriters);

    /// <summary>An end's last close, on the closer's CPU, before its PipeClosedMessage is posted.</summary>
    internal void Closing(bool reads, bool writes)
    {
        if (reads) Kevlar.Runtime.Threading.Atomic.FetchAdd(ref _closingReaders, 1);
        if (writes) Kevlar.Runtime.Threading.Atomic.FetchAdd(ref _closingWriters, 1);
    }
    /// <summary>Called when the last end closes (a FIFO's pipe leaves the VfsActor's map); on Home.</summary>
    public Action? Unused;
    private readonly WaitQueue _readWaiters = new WaitQueue();
    private readonly WaitQueue _writeWaiters = new WaitQueue();

    /// <summary>The pipe's inode number (pipefs numbers each pipe).</summary>
    public readonly ulong Inode = (ulong)Interlocked.Increment(ref s_nextInode);

    /// <summary>Bytes it holds at most (F_GETPIPE_SZ); read from any CPU as a hint.</summary>
    public int Capacity => Volatile.Read(ref _capacity);
    private int _capacity = DefaultCapacity;

    /// <summary>Bytes waiting to be read (FIONREAD); read from any CPU as a hint.</summary>
    public int Available => Volatile.Read(ref _count);

    private int Slots => _pages.Length;

    private long _inputEdges, _outputEdges;

    /// <summary>Changes that may have made the ends' <paramref name="events"/> true (data added or
    /// the last writer gone for readers; room made or the last reader gone for writers); read from
    /// any CPU as a hint.</summary>
    public ulong Edges(bool reads, bool writes, int events)
    {
        ulong n = 0;
        if (reads) n += (ulong)Volatile.Read(ref _inputEdges);
        if (writes) n += (ulong)Volatile.Read(ref _outputEdges);
        return n;
    }

    private void InputChanged() => Volatile.Write(ref _inputEdges, _inputEdges + 1);

    private void OutputChanged() => Volatile.Write(ref _outputEdges, _outputEdges + 1);

    /// <summary>Takes up to dest.Length bytes: the count, 0 at end of file (no writer), -EAGAIN
    /// when empty and <paramref name="waiter"/> is null, else WouldBlock with it registered.</summary>
    internal long Take(Span<byte> dest, FileWaiter? waiter)
    {
        if (_count == 0)
        {
            if (LiveWriters == 0) return 0;
            if (waiter == null) return -Errno.EAGAIN;
            _readWaiters.Add(waiter);
            return FileRequest.WouldBlock;
        }
        int done = 0;
        while (done < dest.Length && _used > 0)
        {
            int n = Math.Min(dest.Length - done, _length[_tail]);
            new ReadOnlySpan<byte>(_pages[_tail], _start[_tail], n).CopyTo(dest.Slice(done));
            done += n;
            _start[_tail] += n;
            _length[_tail] -= n;
            if (_length[_tail] == 0)
            {
                _tail = (_tail + 1) % Slots;
                _used--;
            }
        }
        Volatile.Write(ref _count, _count - done);
        OutputChanged();
        _writeWaiters.Wake(Scheduler!, PollEvents.POLLOUT | PollEvents.POLLWRNORM);
        return done;
    }

    /// <summary>Stores bytes of <paramref name="src"/>: the count stored, -EPIPE with no reader,
    /// -EAGAIN when nothing fits and <paramref name="waiter"/> is null, else WouldBlock with it
    /// registered.</summary>
    internal long Put(ReadOnlySpan<byte> src, FileWaiter? waiter)
    {
        if (LiveReaders == 0) return -Errno.EPIPE;
        int written = 0;
        int chars = src.Length & (PageSize - 1);
        if (chars != 0 && _used > 0)
        {
            int last = (_tail + _used - 1) % Slots;
            int end = _start[last] + _length[last];
            if (end + chars <= PageSize)
            {
                src.Slice(0, chars).CopyTo(new Span<byte>(_pages[last], end, chars));
                _length[last] += chars;
                written = chars;
            }
        }
        while (written < src.Length && _used < Slots)
        {
            int slot = (_tail + _used) % Slots;
            byte[] page = _pages[slot] ??= new byte[PageSize];
            int n = Math.Min(PageSize, src.Length - written);
            src.Slice(written, n).CopyTo(page);
            _start[slot] = 0;
            _length[slot] = n;
            _used++;
            written += n;
        }
        if (written == 0)
        {
            if (waiter == null) return -Errno.EAGAIN;
            _writeWaiters.Add(waiter);
            return FileRequest.WouldBlock;
        }
        Volatile.Write(ref _count, _count + written);
        InputChanged();
        _readWaiters.Wake(Scheduler!, PollEvents.POLLIN | PollEvents.POLLRDNORM);
        return written;
    }

    /// <summary>The poll events of a read or write end now; registers <paramref name="waiter"/>
    /// when none of <paramref name="events"/> holds.</summary>
    internal int Poll(bool reads, bool writes, int events, FileWaiter? waiter)
    {
        int mask = 0;
        if (writes)
        {
            mask |= _used < Slots ? PollEvents.POLLOUT | PollEvents.POLLWRNORM : 0;
            if (LiveReaders == 0) mask |= PollEvents.POLLERR;
        }
        if (reads)
        {
            mask |= _count > 0 ? PollEvents.POLLIN | PollEvents.POLLRDNORM : 0;
            // A FIFO no writer has opened yet is not hung up (Linux's pipe_poll).
            if (LiveWriters == 0 && WriterOpens > 0) mask |= PollEvents.POLLHUP;
        }
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null)
        {
            if (writes) _writeWaiters.Add(waiter);
            if (reads) _readWaiters.Add(waiter);
        }
        return mask;
    }

    /// <summary>Opens made of each end (pipe(2) counts as one of each): a FIFO reader waits
    /// until a writer has opened, not merely until one is open now.</summary>
    public int ReaderOpens, WriterOpens;
    private readonly WaitQueue _openWaiters = new WaitQueue();

    /// <summary>A FIFO opened by name with read and/or write access. With no one left on either
    /// side the old contents go, as Linux frees a FIFO's pipe when the last end closes.</summary>
    internal void Opened(bool reads, bool writes)
    {
        if (LiveReaders == 0 && LiveWriters == 0)
        {
            _tail = _used = 0;
            Volatile.Write(ref _count, 0);
        }
        if (reads)
        {
            Readers++;
            ReaderOpens++;
        }
        if (writes)
        {
            Writers++;
            WriterOpens++;
        }
        _openWaiters.Wake(Scheduler!, PollEvents.POLLIN | PollEvents.POLLOUT);
    }

    /// <summary>A blocking FIFO open waits for the other side (fifo(7)): 0 once a peer opened
    /// after <paramref name="seen"/> opens of that side, else WouldBlock with the waiter registered.</summary>
    internal long WaitForPeer(bool reader, int seen, FileWaiter waiter)
    {
        if (reader ? WriterOpens != seen || LiveWriters > 0 : ReaderOpens != seen || LiveReaders > 0) return 0;
        _openWaiters.Add(waiter);
        return FileRequest.WouldBlock;
    }

    /// <summary>F_SETPIPE_SZ: the new capacity (a power-of-two number of pages), or -EBUSY when
    /// the slots in use do not fit, -EINVAL / -EPERM for a size out of range.</summary>
    internal long Resize(long size, bool privileged)
    {
        if (size < 0 || size > int.MaxValue) return -Errno.EINVAL;
        if (size > MaxCapacity && !privileged) return -Errno.EPERM;
        int slots = 1;
        while ((long)slots * PageSize < size) slots <<= 1;
        if (slots < _used) return -Errno.EBUSY;
        var pages = new byte[]?[slots];
        var start = new int[slots];
        var length = new int[slots];
        for (int i = 0; i < _used; i++)
        {
            int from = (_tail + i) % Slots;
            pages[i] = _pages[from];
            start[i] = _start[from];
            length[i] = _length[from];
        }
        _pages = pages;
        _start = start;
        _length = length;
        _tail = 0;
        Volatile.Write(ref _capacity, slots * PageSize);
        OutputChanged();
        _writeWaiters.Wake(Scheduler!, PollEvents.POLLOUT | PollEvents.POLLWRNORM);
        return slots * PageSize;
    }

    /// <summary>An end's last fd closed.</summary>
    internal void Closed(bool reads, bool writes)
    {
        if (reads) Kevlar.Runtime.Threading.Atomic.FetchAdd(ref _closingReaders, -1);
        if (writes) Kevlar.Runtime.Threading.Atomic.FetchAdd(ref _closingWriters, -1);
        if (writes && --Writers == 0)
        {
            InputChanged();
            // Readers wait for POLLIN, poll's registrations at least for POLLHUP: wake both.
            int hangup = Kevlar.Runtime.Diagnostics.SeededBugs.PipeCloseSkipsPoll ? 0 : PollEvents.POLLHUP;
            _readWaiters.Wake(Scheduler!, PollEvents.POLLIN | hangup);
        }
        if (reads && --Readers == 0)
        {
            OutputChanged();
            _writeWaiters.Wake(Scheduler!, PollEvents.POLLOUT | PollEvents.POLLERR);
        }
        if (Readers == 0 && Writers == 0) Unused?.Invoke();
    }

    protected internal override void Receive(Kevlar.Runtime.Scheduling.Message m)
    {
        var closed = m as PipeClosedMessage;
        if (closed != null)
        {
            Closed(closed.Reads, closed.Writes);
            return;
        }
        base.Receive(m);
    }
}

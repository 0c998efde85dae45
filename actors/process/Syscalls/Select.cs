// select(2), pselect6(2): poll over three fd bitmaps (arrays of unsigned
// long, nfds bits). Readable means POLLIN, POLLHUP or POLLERR; writable
// POLLOUT or POLLERR; exceptional POLLPRI (Linux's POLLIN_SET, POLLOUT_SET,
// POLLEX_SET). A set bit for a closed fd is -EBADF; nfds < 0 -EINVAL; nfds
// beyond the fd table is cut to it, as Linux does. The sets are rewritten
// with the ready fds and the count returned; the timeout (timeval for
// select, timespec for pselect6) is rewritten with the time left. A signal
// ends the wait with -EINTR, never a restart. pselect6's sixth argument is
// { const sigset_t *ss; size_t ss_len; }, the mask during the wait.
using System;
using Kevlar.Process.Files;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Select
{
    private const int InSet = PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLRDBAND | PollEvents.POLLHUP | PollEvents.POLLERR;
    private const int OutSet = PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND | PollEvents.POLLERR;
    private const int ExSet = PollEvents.POLLPRI;

    public static KernelTask<long> InvokeSelect(UserThread t, SyscallArgs a)
    {
        ulong deadline = ulong.MaxValue;
        if (a.Pointer(4) != 0)
        {
            // struct timeval { long tv_sec; long tv_usec; }
            Span<byte> tv = stackalloc byte[16];
            if (t.Process.UserMemory.Read(a.Pointer(4), tv) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
            long sec = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(tv);
            long usec = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(tv.Slice(8));
            if (sec < 0 || usec < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
            // Linux normalises tv_usec ≥ 1e6 into seconds rather than refusing it.
            ulong ns = (ulong)sec * 1_000_000_000 + (ulong)usec * 1000;
            deadline = ns == 0 ? 0 : t.Process.Host.Clock.MonotonicNanoseconds + ns;
        }
        return Start(t, a.Int(0), a.Pointer(1), a.Pointer(2), a.Pointer(3), deadline, a.Pointer(4), false);
    }

    public static KernelTask<long> InvokePselect6(UserThread t, SyscallArgs a)
    {
        ulong deadline = ulong.MaxValue;
        if (a.Pointer(4) != 0)
        {
            int r = t.Process.UserMemory.ReadTimespec(a.Pointer(4), out ulong ns);
            if (r != 0) return KernelTask<long>.FromResult(r);
            deadline = ns == 0 ? 0 : t.Process.Host.Clock.MonotonicNanoseconds + ns;
        }
        if (a.Pointer(5) != 0)
        {
            if (t.Process.UserMemory.ReadUInt64(a.Pointer(5), out ulong setAddress) != 0
                || t.Process.UserMemory.ReadUInt64(a.Pointer(5) + 8, out ulong setSize) != 0)
                return KernelTask<long>.FromResult(-Errno.EFAULT);
            if (setAddress != 0)
            {
                if (setSize != 8) return KernelTask<long>.FromResult(-Errno.EINVAL);
                if (t.Process.UserMemory.ReadUInt64(setAddress, out ulong mask) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
                t.SuspendWithMask(mask & ~Signal.Unblockable);
            }
        }
        return Start(t, a.Int(0), a.Pointer(1), a.Pointer(2), a.Pointer(3), deadline, a.Pointer(4), true);
    }

    private static KernelTask<long> Start(UserThread t, int nfds, ulong readSet, ulong writeSet, ulong exceptSet, ulong deadline, ulong timeout, bool timespec)
    {
        if (nfds < 0) return Poll.Done(t, -Errno.EINVAL);
        int tableSize = FdTableSize(t.Process.Files.Count);
        if (nfds > tableSize) nfds = tableSize;
        int bytes = (nfds + 63) / 64 * 8;
        var sets = new byte[3][];
        ulong[] addresses = { readSet, writeSet, exceptSet };
        for (int s = 0; s < 3; s++)
        {
            sets[s] = new byte[bytes];
            if (addresses[s] != 0 && t.Process.UserMemory.Read(addresses[s], sets[s]) != 0) return Poll.Done(t, -Errno.EFAULT);
        }
        PollBuffers b = PollBuffers.Take(t, nfds);
        for (int fd = 0; fd < nfds; fd++)
        {
            int want = (IsSet(sets[0], fd) ? InSet : 0) | (IsSet(sets[1], fd) ? OutSet : 0) | (IsSet(sets[2], fd) ? ExSet : 0);
            if (want == 0) continue;
            OpenFile? f = t.Process.Files.Get(fd);
            if (f == null)
            {
                b.Return(t, nfds);
                return Poll.Done(t, -Errno.EBADF);
            }
            b.Entries[fd].File = f;
            b.Entries[fd].Events = want;
        }
        return Finish(t, addresses, sets, b, nfds, deadline, timeout, timespec);
    }

    private static async KernelTask<long> Finish(UserThread t, ulong[] addresses, byte[][] sets, PollBuffers b, int nfds,
        ulong deadline, ulong timeout, bool timespec)
    {
        long r = await Readiness.Wait(t, b.Entries, nfds, deadline);
        long result = Report(t, addresses, sets, b, nfds, deadline, timeout, timespec, r);
        b.Return(t, nfds);
        return result;
    }

    // The time left written back, then the ready sets (or r when the wait failed).
    private static long Report(UserThread t, ulong[] addresses, byte[][] sets, PollBuffers b, int nfds,
        ulong deadline, ulong timeout, bool timespec, long r)
    {
        PollBuffers.Entry[] entries = b.Entries;
        if (timeout != 0 && deadline != ulong.MaxValue)
        {
            ulong now = t.Process.Host.Clock.MonotonicNanoseconds;
            ulong left = deadline > now ? deadline - now : 0;
            if (timespec) t.Process.UserMemory.WriteTimespec(timeout, left);
            else
            {
                Span<byte> tv = stackalloc byte[16];
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(tv, (long)(left / 1_000_000_000));
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(tv.Slice(8), (long)(left % 1_000_000_000 / 1000));
                t.Process.UserMemory.Write(timeout, tv);
            }
        }
        if (r < 0) return r;
        long count = 0;
        for (int s = 0; s < 3; s++) Array.Clear(sets[s], 0, sets[s].Length);
        for (int fd = 0; fd < nfds; fd++)
        {
            if (entries[fd].File == null) continue;
            int ev = entries[fd].Revents, asked = entries[fd].Events;
            if ((ev & InSet & asked) != 0 && (asked & PollEvents.POLLIN) != 0) { SetBit(sets[0], fd); count++; }
            if ((ev & OutSet & asked) != 0 && (asked & PollEvents.POLLOUT) != 0) { SetBit(sets[1], fd); count++; }
            if ((ev & ExSet) != 0 && (asked & PollEvents.POLLPRI) != 0) { SetBit(sets[2], fd); count++; }
        }
        for (int s = 0; s < 3; s++)
            if (addresses[s] != 0 && t.Process.UserMemory.Write(addresses[s], sets[s]) != 0) { t.EndTemporaryMask(); return -Errno.EFAULT; }
        t.EndTemporaryMask();
        return count;
    }

    // Linux cuts nfds to its fd table's size: 64 slots at first, then grown in powers of two
    // times 128 (fs/file.c alloc_fdtable), so select sees a closed fd below that as -EBADF.
    private static int FdTableSize(int used)
    {
        if (used <= 64) return 64;
        int n = 1;
        while (n < used / 128 + 1) n <<= 1;
        return n * 128;
    }

    private static bool IsSet(byte[] set, int fd) => (set[fd >> 3] & (1 << (fd & 7))) != 0;

    private static void SetBit(byte[] set, int fd) => set[fd >> 3] |= (byte)(1 << (fd & 7));
}

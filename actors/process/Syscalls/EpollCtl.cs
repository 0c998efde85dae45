// epoll_ctl(2): adds, changes or removes an entry of an epoll set. Errors in
// Linux's order: -EFAULT for a bad event (not read for DEL); -EBADF for a bad
// epfd or fd; -EPERM when fd's file cannot be polled (regular files,
// directories, /dev/null); -EINVAL when epfd is not an epoll set or fd is the
// set itself, or for EPOLLEXCLUSIVE with MOD, with an epoll fd or with flags
// it does not allow; -ELOOP when adding an epoll set would make a loop or nest
// deeper than 4; then the set's own -EEXIST (ADD of a present entry), -ENOENT
// (MOD/DEL of an absent one) and -EINVAL (unknown op). EPOLLWAKEUP is dropped
// (no suspend here, and Linux drops it without CAP_BLOCK_SUSPEND).
// struct epoll_event is packed: u32 events, u64 data (12 bytes).
using System;
using System.Buffers.Binary;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Events;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class EpollCtl
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
        => Control(t, a.Fd(0), a.Int(1), a.Fd(2), a.Pointer(3));

    private static KernelTask<long> Control(UserThread t, int epfd, int op, int fd, ulong eventAddress)
    {
        int events = 0;
        ulong data = 0;
        if (op != EpollEvents.EPOLL_CTL_DEL)
        {
            Span<byte> e = stackalloc byte[EpollEvents.EventSize];
            if (t.Process.UserMemory.Read(eventAddress, e) != 0) return Fail(-Errno.EFAULT);
            events = BinaryPrimitives.ReadInt32LittleEndian(e);
            data = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(4));
        }
        OpenFile? epollFile = t.Process.Files.Get(epfd);
        OpenFile? target = t.Process.Files.Get(fd);
        if (epollFile == null || target == null) return Fail(-Errno.EBADF);
        if (!target.Pollable) return Fail(-Errno.EPERM);
        events &= ~EpollEvents.EPOLLWAKEUP;
        var epoll = epollFile as EpollFile;
        if (epoll == null || target == epollFile) return Fail(-Errno.EINVAL);
        var inner = target as EpollFile;
        if (op != EpollEvents.EPOLL_CTL_DEL && (events & EpollEvents.EPOLLEXCLUSIVE) != 0)
        {
            if (op == EpollEvents.EPOLL_CTL_MOD) return Fail(-Errno.EINVAL);
            if (op == EpollEvents.EPOLL_CTL_ADD && (inner != null || (events & ~EpollEvents.ExclusiveOk) != 0)) return Fail(-Errno.EINVAL);
        }
        if (op == EpollEvents.EPOLL_CTL_ADD && inner != null && Reaches(inner, epoll.Set, 1)) return Fail(-Errno.ELOOP);
        Epoll set = epoll.Set;
        return set.Run(t, () => set.Control(op, fd, target, events, data));
    }

    // Whether adding `inner` to `outer` would close a loop or nest too deep: a walk over the sets'
    // published lists (a hint from other CPUs; a race with a concurrent ADD can miss a loop, which
    // Linux prevents with a global mutex: here it would make rounds recurse until the depth check).
    private static bool Reaches(EpollFile inner, Epoll outer, int depth)
    {
        if (inner.Set == outer || depth > EpollEvents.MaxNests) return true;
        EpollInterest[] list = inner.Set.Published;
        for (int i = 0; i < list.Length; i++)
        {
            var nested = list[i].File as EpollFile;
            if (nested != null && !list[i].Removed && Reaches(nested, outer, depth + 1)) return true;
        }
        return false;
    }

    private static KernelTask<long> Fail(long error) => KernelTask<long>.FromResult(error);
}

// signalfd(2), signalfd4(2): an fd that reads the caller's pending signals of
// a mask (Files/Events/SignalFdFile.cs). fd -1 makes a new one; a signalfd's
// fd gets the new mask (and its waiters ask again); any other fd is -EINVAL,
// a closed one -EBADF. sizemask other than 8 is -EINVAL, a bad mask pointer
// -EFAULT, flags other than SFD_NONBLOCK/SFD_CLOEXEC -EINVAL (signalfd takes
// none). SIGKILL and SIGSTOP in the mask are silently ignored.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Events;

namespace Kevlar.Process.Syscalls;

public static class Signalfd
{
    public const int SFD_CLOEXEC = OpenFlags.O_CLOEXEC, SFD_NONBLOCK = OpenFlags.O_NONBLOCK;

    public static long InvokeSignalfd(UserThread t, in SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Size(2), 0);

    public static long InvokeSignalfd4(UserThread t, in SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Size(2), a.Int(3));

    public static long Do(UserThread t, int fd, ulong maskAddress, ulong maskSize, int flags)
    {
        if (maskSize != 8) return -Errno.EINVAL;
        UserProcess p = t.Process;
        if (p.UserMemory.ReadUInt64(maskAddress, out ulong mask) != 0) return -Errno.EFAULT;
        if ((flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)) != 0) return -Errno.EINVAL;
        if (fd == -1)
            return p.Files.Allocate(new SignalFdFile(p, mask, flags & SFD_NONBLOCK), (flags & SFD_CLOEXEC) != 0, 0, Open.FdLimit(p));
        OpenFile? f = p.Files.Get(fd);
        if (f == null) return -Errno.EBADF;
        var signals = f as SignalFdFile;
        if (signals == null) return -Errno.EINVAL;
        signals.Mask = mask;
        p.SignalWaiters.Wake(p.Host.Scheduler, PollEvents.POLLIN);
        return fd;
    }
}

// flock(2): a whole-file lock owned by the open file description, shared
// through dup and fork, dropped at the description's last close. LOCK_SH,
// LOCK_EX, LOCK_UN, with LOCK_NB for "do not wait". A conversion drops the
// old lock first (not atomic, as on Linux). Blocks holding no CPU; restarted
// under SA_RESTART, else -EINTR.
//
// Errors: -EINVAL for another operation (checked first, as Linux's
// flock_translate_cmd); -EBADF for a bad fd, an O_PATH fd, or a lock on an fd
// opened for neither reading nor writing; -EWOULDBLOCK with LOCK_NB. LOCK_MAND
// is accepted and ignored (Linux returns 0).
using Kevlar.Locks;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Locks;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Flock
{
    public const uint LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8, LOCK_MAND = 32;

    public static KernelTask<long> InvokeAsync(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.UInt(1));

    private static KernelTask<long> Do(UserThread t, int fd, uint operation)
    {
        if ((operation & LOCK_MAND) != 0) return KernelTask<long>.FromResult(0);
        int type = TypeOf(operation & ~LOCK_NB);
        if (type < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null || (f is VfsFile v && v.IsPathOnly)) return KernelTask<long>.FromResult(-Errno.EBADF);
        if (type != FileLock.F_UNLCK && (f.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_ACCMODE)
            return KernelTask<long>.FromResult(-Errno.EBADF);
        return LockCall.Flock(t, f, type, (operation & LOCK_NB) == 0);
    }

    private static int TypeOf(uint operation)
    {
        switch (operation)
        {
            case LOCK_SH: return FileLock.F_RDLCK;
            case LOCK_EX: return FileLock.F_WRLCK;
            case LOCK_UN: return FileLock.F_UNLCK;
            default: return -1;
        }
    }
}

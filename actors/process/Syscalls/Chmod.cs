// chmod(2), fchmod(2), fchmodat(2), chown(2), fchown(2), lchown(2),
// fchownat(2): file mode and owner, with Linux's rules (the owner or root
// changes the mode; only root gives a file away; the owner may pick a group
// it is in; setuid/setgid cleared as Linux clears them). -1 leaves an id
// as it is. fchmodat takes no flags here but AT_SYMLINK_NOFOLLOW, which
// Linux refuses for the plain syscall (-EOPNOTSUPP on symlinks), so it is
// -EINVAL like other unknown flags.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs;
using Kevlar.Vfs.Operations;

namespace Kevlar.Process.Syscalls;

public static class Chmod
{
    public static KernelTask<long> InvokeChmod(UserThread t, SyscallArgs a) => ModeAt(t, PathLookup.AT_FDCWD, a.Pointer(0), a.UInt(1), 0);

    public static KernelTask<long> InvokeFchmodat(UserThread t, SyscallArgs a) => ModeAt(t, a.Fd(0), a.Pointer(1), a.UInt(2), 0);

    public static KernelTask<long> InvokeFchmod(UserThread t, SyscallArgs a)
    {
        var cred = PathLookup.CredentialsOf(t.Process);
        uint mode = a.UInt(1) & 0xFFF;
        return VfsPath.OnFd(t, a.Fd(0), false, at => Namespace.Chmod(cred, at, mode));
    }

    public static KernelTask<long> InvokeChown(UserThread t, SyscallArgs a) => OwnerAt(t, PathLookup.AT_FDCWD, a.Pointer(0), a.UInt(1), a.UInt(2), 0);

    public static KernelTask<long> InvokeLchown(UserThread t, SyscallArgs a)
        => OwnerAt(t, PathLookup.AT_FDCWD, a.Pointer(0), a.UInt(1), a.UInt(2), PathLookup.AT_SYMLINK_NOFOLLOW);

    public static KernelTask<long> InvokeFchownat(UserThread t, SyscallArgs a) => OwnerAt(t, a.Fd(0), a.Pointer(1), a.UInt(2), a.UInt(3), a.Int(4));

    public static KernelTask<long> InvokeFchown(UserThread t, SyscallArgs a)
    {
        var cred = PathLookup.CredentialsOf(t.Process);
        uint uid = a.UInt(1), gid = a.UInt(2);
        return VfsPath.OnFd(t, a.Fd(0), false, at => Namespace.Chown(cred, at, uid, gid));
    }

    private static KernelTask<long> ModeAt(UserThread t, int dirfd, ulong path, uint mode, int flags)
    {
        var cred = PathLookup.CredentialsOf(t.Process);
        uint m = mode & 0xFFF;
        return VfsPath.OnFile(t, dirfd, path, true, false, at => Namespace.Chmod(cred, at, m));
    }

    private static KernelTask<long> OwnerAt(UserThread t, int dirfd, ulong path, uint uid, uint gid, int flags)
    {
        if ((flags & ~(PathLookup.AT_SYMLINK_NOFOLLOW | PathLookup.AT_EMPTY_PATH)) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        var cred = PathLookup.CredentialsOf(t.Process);
        bool follow = (flags & PathLookup.AT_SYMLINK_NOFOLLOW) == 0;
        return VfsPath.OnFile(t, dirfd, path, follow, (flags & PathLookup.AT_EMPTY_PATH) != 0, at => Namespace.Chown(cred, at, uid, gid));
    }
}

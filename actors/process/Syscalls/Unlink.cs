// unlink(2), unlinkat(2), rmdir(2): remove a name (AT_REMOVEDIR: a
// directory, which must be empty). The file lives on while an fd holds it.
// Flags other than AT_REMOVEDIR are -EINVAL.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Unlink
{
    public static KernelTask<long> InvokeUnlink(UserThread t, SyscallArgs a) => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), 0);

    public static KernelTask<long> InvokeRmdir(UserThread t, SyscallArgs a) => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), PathLookup.AT_REMOVEDIR);

    public static KernelTask<long> InvokeUnlinkat(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Int(2));

    private static KernelTask<long> Do(UserThread t, int dirfd, ulong path, int flags)
    {
        if ((flags & ~PathLookup.AT_REMOVEDIR) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        var ns = t.Process.Host.Vfs.Namespace;
        if ((flags & PathLookup.AT_REMOVEDIR) != 0) return VfsPath.Run(t, dirfd, path, (ctx, p) => ns.Rmdir(ctx, p));
        return VfsPath.Run(t, dirfd, path, (ctx, p) => ns.Unlink(ctx, p));
    }
}

// link(2), linkat(2), symlink(2), symlinkat(2): a second name for a file
// (linkat follows the old path's final symlink only with AT_SYMLINK_FOLLOW;
// linking olddirfd's own file with AT_EMPTY_PATH, which serves O_TMPFILE, is
// not here yet: an empty old path is -ENOENT), or a symbolic link holding any
// text.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class Link
{
    public static KernelTask<long> InvokeLink(UserThread t, SyscallArgs a)
        => DoLink(t, PathLookup.AT_FDCWD, a.Pointer(0), PathLookup.AT_FDCWD, a.Pointer(1), 0);

    public static KernelTask<long> InvokeLinkat(UserThread t, SyscallArgs a) => DoLink(t, a.Fd(0), a.Pointer(1), a.Fd(2), a.Pointer(3), a.Int(4));

    public static KernelTask<long> InvokeSymlink(UserThread t, SyscallArgs a) => DoSymlink(t, a.Pointer(0), PathLookup.AT_FDCWD, a.Pointer(1));

    public static KernelTask<long> InvokeSymlinkat(UserThread t, SyscallArgs a) => DoSymlink(t, a.Pointer(0), a.Fd(1), a.Pointer(2));

    private static KernelTask<long> DoLink(UserThread t, int oldDirfd, ulong oldAddress, int newDirfd, ulong newAddress, int flags)
    {
        if ((flags & ~(PathLookup.AT_SYMLINK_FOLLOW | PathLookup.AT_EMPTY_PATH)) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        UserProcess p = t.Process;
        int r = PathLookup.Prepare(p, oldDirfd, oldAddress, out string oldPath, out PathContext from);
        if (r != 0 && !(oldPath.Length == 0 && (flags & PathLookup.AT_EMPTY_PATH) != 0)) return KernelTask<long>.FromResult(r);
        r = PathLookup.Prepare(p, newDirfd, newAddress, out string newPath, out PathContext to);
        if (r != 0) return KernelTask<long>.FromResult(r);
        var ns = p.Host.Vfs.Namespace;
        if (oldPath.Length == 0) return KernelTask<long>.FromResult(-Errno.ENOENT);
        bool follow = (flags & PathLookup.AT_SYMLINK_FOLLOW) != 0;
        return p.Host.Vfs.Run(t, () => ns.Link(from, oldPath, to, newPath, follow));
    }

    private static KernelTask<long> DoSymlink(UserThread t, ulong targetAddress, int dirfd, ulong pathAddress)
    {
        int r = PathLookup.ReadPath(t.Process, targetAddress, out string target);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (target.Length == 0) return KernelTask<long>.FromResult(-Errno.ENOENT);
        var ns = t.Process.Host.Vfs.Namespace;
        return VfsPath.Run(t, dirfd, pathAddress, (ctx, p) => ns.Symlink(ctx, target, p));
    }
}

// link(2), linkat(2), symlink(2), symlinkat(2): a second name for a file
// (linkat follows the old path's final symlink only with AT_SYMLINK_FOLLOW;
// with AT_EMPTY_PATH and an empty old path it names olddirfd's own file,
// which is how an O_TMPFILE file gets its name; as since Linux 6.10, that
// needs CAP_DAC_READ_SEARCH or a file opened with the caller's credentials,
// -ENOENT otherwise), or a symbolic link holding any text.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Mounts;
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
        bool emptyPath = (flags & PathLookup.AT_EMPTY_PATH) != 0;
        int r = PathLookup.Prepare(p, oldDirfd, oldAddress, out string oldPath, out PathContext from);
        if (r != 0 && !(oldPath.Length == 0 && emptyPath && r != -Errno.EFAULT && r != -Errno.ENAMETOOLONG)) return KernelTask<long>.FromResult(r);
        r = PathLookup.Prepare(p, newDirfd, newAddress, out string newPath, out PathContext to);
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (newPath.Length == 0) return KernelTask<long>.FromResult(-Errno.ENOENT);
        var ns = p.Host.Vfs.Namespace;
        if (oldPath.Length == 0)
        {
            if (!emptyPath) return KernelTask<long>.FromResult(-Errno.ENOENT);
            OpenFile? f = PathLookup.EmptyPathTarget(p, oldDirfd, out int error);
            if (error != 0) return KernelTask<long>.FromResult(error);
            var cred = PathLookup.CredentialsOf(p);
            if (f != null && !cred.HasCapability(Kevlar.Vfs.Capability.CAP_DAC_READ_SEARCH) && !(f is VfsFile mine && mine.OpenedAs(cred)))
                return KernelTask<long>.FromResult(-Errno.ENOENT);
            // A file with no node in the VFS (a pipe, an eventfd) lives on another mount.
            if (f != null && f.NodeVfs == null && f is not VfsFile) return KernelTask<long>.FromResult(-Errno.EXDEV);
            Location old = f == null ? p.Cwd : f is VfsFile v ? v.Location : f.NodeLocation;
            return p.Host.Vfs.Run(t, () => ns.LinkTo(old, to, newPath));
        }
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

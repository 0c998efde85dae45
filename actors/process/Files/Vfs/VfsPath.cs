// VfsPath: the shape most path syscalls share — read the path, find the
// context it starts from (AT_FDCWD, dirfd, the root), then run one Namespace
// operation on the VfsActor and return its result.
using System;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files.Vfs;

public static class VfsPath
{
    /// <summary>One operation on (dirfd, path): its result, or the error of reading the path.</summary>
    public static KernelTask<long> Run(UserThread t, int dirfd, ulong pathAddress, Func<PathContext, string, long> operation)
    {
        int r = PathLookup.Prepare(t.Process, dirfd, pathAddress, out string path, out PathContext ctx);
        if (r != 0) return KernelTask<long>.FromResult(r);
        return t.Process.Host.Vfs.Run(t, () => operation(ctx, path));
    }

    /// <summary>An operation on the file (dirfd, path) names, or with AT_EMPTY_PATH and an empty
    /// path on dirfd's own file (the working directory for AT_FDCWD): -EBADF for a closed fd,
    /// -ENOENT for an empty path without AT_EMPTY_PATH, -EINVAL (Linux's answer for attribute
    /// changes) when dirfd is not a file of the VfsActor's.</summary>
    public static KernelTask<long> OnFile(UserThread t, int dirfd, ulong pathAddress, bool follow, bool emptyPath, Func<Location, long> operation)
    {
        UserProcess p = t.Process;
        int r = PathLookup.Prepare(p, dirfd, pathAddress, out string path, out PathContext ctx);
        if (path.Length == 0 && emptyPath && r != -Errno.EFAULT && r != -Errno.ENAMETOOLONG)
        {
            OpenFile? f = PathLookup.EmptyPathTarget(p, dirfd, out int error);
            if (error != 0) return KernelTask<long>.FromResult(error);
            Location at = p.Cwd;
            if (f != null)
            {
                var file = f as VfsFile;
                if (file == null) return KernelTask<long>.FromResult(-Errno.EINVAL);
                at = file.Location;
            }
            return p.Host.Vfs.Run(t, () => operation(at));
        }
        if (r != 0) return KernelTask<long>.FromResult(r);
        if (path.Length == 0) return KernelTask<long>.FromResult(-Errno.ENOENT);
        Namespace ns = p.Host.Vfs.Namespace;
        return p.Host.Vfs.Run(t, () =>
        {
            int e = ns.Lookup(ctx, path, follow, out Location at);
            return e != 0 ? e : operation(at);
        });
    }

    /// <summary>An operation on an open fd's file: -EBADF for a closed fd (or O_PATH when
    /// <paramref name="allowPathOnly"/> is false), -EINVAL for a pipe or device.</summary>
    public static KernelTask<long> OnFd(UserThread t, int fd, bool allowPathOnly, Func<Location, long> operation)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        var file = f as VfsFile;
        if (file == null) return KernelTask<long>.FromResult(-Errno.EINVAL);
        if (file.IsPathOnly && !allowPathOnly) return KernelTask<long>.FromResult(-Errno.EBADF);
        Location at = file.Location;
        return t.Process.Host.Vfs.Run(t, () => operation(at));
    }
}

// access(2), faccessat(2), faccessat2(2): whether the file exists and the
// caller may access it as mode asks, by the real uid/gid (the effective ones
// with AT_EACCESS), as Linux's permission rules decide; W_OK on a read-only
// mount is -EROFS (not for devices, FIFOs and sockets).
using Kevlar.Process.Files;
using Kevlar.Runtime.Async;
using Kevlar.Vfs;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class Access
{
    public const int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;

    public static KernelTask<long> InvokeAccess(UserThread t, SyscallArgs a) => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), a.Int(1), 0);

    public static KernelTask<long> InvokeFaccessat(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Int(2), 0);

    public static KernelTask<long> InvokeFaccessat2(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Int(2), a.Int(3));

    public static KernelTask<long> Do(UserThread t, int dirfd, ulong pathAddress, int mode, int flags)
    {
        UserProcess p = t.Process;
        if ((mode & ~7) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        if ((flags & ~(PathLookup.AT_EACCESS | PathLookup.AT_SYMLINK_NOFOLLOW | PathLookup.AT_EMPTY_PATH)) != 0)
            return KernelTask<long>.FromResult(-Errno.EINVAL);
        int r = PathLookup.Prepare(p, dirfd, pathAddress, out string path, out PathContext ctx);
        if (r != 0) return KernelTask<long>.FromResult(r);
        bool effective = (flags & PathLookup.AT_EACCESS) != 0;
        var cred = new Kevlar.Vfs.Credentials(effective ? p.Euid : p.Uid, effective ? p.Egid : p.Gid, p.Groups);
        ctx = new PathContext(cred, ctx.Root, ctx.Start, p.Pid);
        bool follow = (flags & PathLookup.AT_SYMLINK_NOFOLLOW) == 0;
        var ns = p.Host.Vfs.Namespace;
        return p.Host.Vfs.Run(t, () =>
        {
            int e = ns.Lookup(ctx, path, follow, out Location at);
            if (e != 0) return e;
            if (mode == F_OK) return 0;
            uint type = at.Inode.Type;
            if ((mode & W_OK) != 0 && at.Mount.IsReadOnly && (type == FileType.S_IFREG || type == FileType.S_IFDIR || type == FileType.S_IFLNK))
                return -Errno.EROFS;
            return Permission.Check(cred, at.Inode, mode);
        });
    }
}

// stat(2), lstat(2), newfstatat(2): struct stat of a path (or, with
// AT_EMPTY_PATH and an empty path, of dirfd itself), filled by the VfsActor
// for its files and by the description itself for pipes and devices.
using System;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class Stat
{
    public static KernelTask<long> InvokeStat(UserThread t, SyscallArgs a) => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), a.Pointer(1), 0);

    public static KernelTask<long> InvokeLstat(UserThread t, SyscallArgs a)
        => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), a.Pointer(1), PathLookup.AT_SYMLINK_NOFOLLOW);

    public static KernelTask<long> InvokeNewfstatat(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Pointer(2), a.Int(3));

    public static KernelTask<long> Do(UserThread t, int dirfd, ulong pathAddress, ulong statAddress, int flags)
    {
        if ((flags & ~(PathLookup.AT_SYMLINK_NOFOLLOW | PathLookup.AT_EMPTY_PATH | PathLookup.AT_NO_AUTOMOUNT)) != 0)
            return KernelTask<long>.FromResult(-Errno.EINVAL);
        var box = new StatBox();
        return WriteOut(t, Lookup(t, dirfd, pathAddress, flags, box), box, statAddress);
    }

    /// <summary>Fills <paramref name="box"/> for (dirfd, path) under stat's flag rules: 0 or -errno.</summary>
    public static KernelTask<long> Lookup(UserThread t, int dirfd, ulong pathAddress, int flags, StatBox box)
    {
        UserProcess p = t.Process;
        int r = PathLookup.Prepare(p, dirfd, pathAddress, out string path, out PathContext ctx);
        if (path.Length == 0 && r != -Errno.EFAULT && r != -Errno.ENAMETOOLONG)
        {
            if ((flags & PathLookup.AT_EMPTY_PATH) == 0) return KernelTask<long>.FromResult(-Errno.ENOENT);
            OpenFile? f = PathLookup.EmptyPathTarget(p, dirfd, out int error);
            if (error != 0) return KernelTask<long>.FromResult(error);
            if (f != null) return OfFile(t, f, box);
            Location cwd = p.Cwd;
            return p.Host.Vfs.Run(t, () =>
            {
                InodeStatus.Fill(cwd.Inode, ref box.Status);
                return 0;
            });
        }
        if (r != 0) return KernelTask<long>.FromResult(r);
        bool follow = (flags & PathLookup.AT_SYMLINK_NOFOLLOW) == 0;
        var ns = p.Host.Vfs.Namespace;
        return p.Host.Vfs.Run(t, () =>
        {
            int e = ns.Lookup(ctx, path, follow, out Location at);
            if (e == 0) InodeStatus.Fill(at.Inode, ref box.Status);
            return e;
        });
    }

    /// <summary>Fills <paramref name="box"/> for an open description.</summary>
    public static KernelTask<long> OfFile(UserThread t, OpenFile f, StatBox box)
    {
        VfsActor? vfs = f.NodeVfs;
        if (vfs == null)
        {
            f.Stat(ref box.Status);
            return KernelTask<long>.FromResult(0);
        }
        Kevlar.Vfs.Inodes.Inode inode = f.NodeLocation.Inode;
        return vfs.Run(t, () =>
        {
            InodeStatus.Fill(inode, ref box.Status);
            return 0;
        });
    }

    /// <summary>Waits for the lookup, then writes struct stat: 0 or -errno. A lookup done inline
    /// (the common case) is written at once, through the stack.</summary>
    public static KernelTask<long> WriteOut(UserThread t, KernelTask<long> lookup, StatBox box, ulong statAddress)
        => lookup.IsCompleted ? KernelTask<long>.FromResult(Store(t, lookup.Result, box, statAddress)) : WriteOutLater(t, lookup, box, statAddress);

    private static async KernelTask<long> WriteOutLater(UserThread t, KernelTask<long> lookup, StatBox box, ulong statAddress)
        => Store(t, await lookup, box, statAddress);

    private static long Store(UserThread t, long lookup, StatBox box, ulong statAddress)
    {
        if (lookup != 0) return lookup;
        Span<byte> b = stackalloc byte[FileStatus.Size];
        box.Status.Encode(b);
        return t.Process.UserMemory.Write(statAddress, b);
    }
}

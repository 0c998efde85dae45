// pivot_root(2): the mount of the caller's root moves to put_old and the
// mount of new_root takes its place (MountTree.PivotRoot has the checks).
// Needs CAP_SYS_ADMIN (-EPERM, checked first); both paths are resolved as
// directories (-ENOENT, -ENOTDIR, -EACCES, -ELOOP); a removed new_root is
// -ENOENT. Then, as Linux's chroot_fs_refs, every process whose root or
// working directory was the old root gets new_root instead: the caller at
// once, others by a message to their main thread.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class PivotRoot
{
    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        UserProcess p = t.Process;
        if (p.Euid != 0) return KernelTask<long>.FromResult(-Errno.EPERM);
        int r = PathLookup.Prepare(p, PathLookup.AT_FDCWD, a.Pointer(0), out string newPath, out PathContext ctx);
        if (r == 0 && newPath.Length == 0) r = -Errno.ENOENT;
        if (r != 0) return KernelTask<long>.FromResult(r);
        r = PathLookup.Prepare(p, PathLookup.AT_FDCWD, a.Pointer(1), out string oldPath, out _);
        if (r == 0 && oldPath.Length == 0) r = -Errno.ENOENT;
        if (r != 0) return KernelTask<long>.FromResult(r);
        VfsActor vfs = p.Host.Vfs;
        Location root = p.Root;
        MountTree mounts = p.Mounts;
        var moved = new Location[1];
        return Finish(t, root, moved, vfs.Run(t, () =>
        {
            int e = LookupDirectory(vfs, ctx, newPath, out Location newRoot);
            if (e != 0) return e;
            e = LookupDirectory(vfs, ctx, oldPath, out Location putOld);
            if (e != 0) return e;
            if (((DirectoryInode)newRoot.Inode).IsDead) return -Errno.ENOENT;
            e = mounts.PivotRoot(root, newRoot, putOld);
            moved[0] = newRoot;
            return e;
        }));
    }

    private static int LookupDirectory(VfsActor vfs, in PathContext ctx, string path, out Location at)
    {
        int e = vfs.Namespace.Lookup(ctx, path, true, out at);
        return e == 0 && !at.Inode.IsDirectory ? -Errno.ENOTDIR : e;
    }

    private static async KernelTask<long> Finish(UserThread t, Location oldRoot, Location[] moved, KernelTask<long> pivot)
    {
        long r = await pivot;
        if (r != 0) return r;
        Location newRoot = moved[0];
        UserProcess[] live = t.Process.Host.Table.Snapshot;
        for (int i = 0; i < live.Length; i++)
        {
            UserProcess q = live[i];
            if (q == null || q.Exited) continue;
            if (q == t.Process) q.ReplaceRoot(oldRoot, newRoot);
            else if (q.Root == oldRoot || q.Cwd == oldRoot) q.Host.Scheduler.Send(q.MainThread, new RootMovedMessage(oldRoot, newRoot));
        }
        return 0;
    }
}

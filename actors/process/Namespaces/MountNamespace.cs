// MountNamespace: a process's mount namespace with its root and working
// directory in it (Linux keeps the three in nsproxy and fs_struct; here a
// process's Mounts, Root and Cwd). CLONE_NEWNS (clone or unshare) gives a
// copy of the caller's tree, made on the VfsActor, which owns every tree, in
// one handler, so no mount operation lands halfway through it; the caller's
// root and working directory move to their copies, as copy_mnt_ns moves
// fs->root and fs->pwd. Open files keep the mounts they were opened through.
// A namespace's processes are counted (MountTree.Join/Leave); when the last
// leaves, the VfsActor takes every mount down (TakeDown), as put_mnt_ns does.
using System.Collections.Generic;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Mounts;

namespace Kevlar.Process.Namespaces;

public sealed class MountNamespace
{
    public MountNamespace(MountTree mounts, Location root, Location cwd)
    {
        Mounts = mounts;
        Root = root;
        Cwd = cwd;
    }

    public MountTree Mounts { get; }
    public Location Root { get; }
    public Location Cwd { get; }

    /// <summary>A copy of <paramref name="t"/>'s process's mount namespace with its root and working
    /// directory moved into it, in <paramref name="made"/>[0]; the task ends with 0.</summary>
    public static KernelTask<long> CopyOf(UserThread t, MountNamespace?[] made)
    {
        UserProcess p = t.Process;
        MountTree mounts = p.Mounts;
        Location root = p.Root, cwd = p.Cwd;
        ulong inode = p.Host.AllocateNamespaceInode();
        return p.Host.Vfs.Run(t, () =>
        {
            var copies = new Dictionary<Mount, Mount>();
            MountTree copy = mounts.Copy(copies);
            copy.NamespaceInode = inode;
            made[0] = new MountNamespace(copy, MountTree.CopyOf(root, copies), MountTree.CopyOf(cwd, copies));
            return 0;
        });
    }

    /// <summary>The copy was made for a clone that failed: nobody entered it, so its mounts go now.</summary>
    public void Abandon(ProcessHost host) => TakeDown(host, Mounts);

    /// <summary>put_mnt_ns: a namespace's last process is gone (or it never had one), so the
    /// VfsActor, which owns the tree, takes every mount down; a tmpfs mounted only there gives its
    /// pages back once unused.</summary>
    public static void TakeDown(ProcessHost host, MountTree mounts)
    {
        host.Vfs.Post(() =>
        {
            var unmounted = new List<Kevlar.Vfs.Filesystems.Filesystem>();
            mounts.TearDown(unmounted);
            Files.Vfs.MountUsers.RetireUnused(host, unmounted);
            return 0;
        });
    }

    /// <summary>Makes this <paramref name="p"/>'s namespace, root and working directory (before the
    /// process runs, or from its own thread).</summary>
    public void Enter(UserProcess p)
    {
        p.Mounts = Mounts;
        p.Root = Root;
        p.Cwd = Cwd;
    }
}

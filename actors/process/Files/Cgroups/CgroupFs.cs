// CgroupFs: the cgroup2 filesystem (mount -t cgroup2 none /sys/fs/cgroup) and
// the kernel end of actors/cgroups' tree: a directory is a cgroup, its files
// are the control files of ControlFile.All that exist there. The directories
// follow the tree through mkdir and rmdir (IDirectoryHook); the control files
// of a directory are made with it, and the children's pids.* files come and
// go with a write to subtree_control (Changed); lookups and listings check
// them again. A control
// file's inode carries its CgroupControl, and open(2) makes a CgroupFile of it.
// Runs on the VfsActor, which owns the tree with the filesystem
// (docs/decisions.md "cgroups").
//
// State (the VfsActor's): the filesystem, its private namespace, the tree.
// Directory inodes carry their Cgroup as Generator; control files a CgroupControl.
using System.Collections.Generic;
using Kevlar.Cgroups;
using Kevlar.Runtime.Devices;
using Kevlar.Vfs;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files.Cgroups;

public sealed class CgroupFs : ILookupHook, IDirectoryHook, ICgroupHost
{
    public const long CGROUP2_SUPER_MAGIC = 0x63677270;
    private const uint Directory = 0x1ED; // rwxr-xr-x

    private readonly ProcessHost _host;
    private readonly Tmpfs _fs;
    private readonly Namespace _ns;
    private readonly PathContext _ctx;
    private bool _editing;

    public CgroupFs(ProcessHost host, ISystemClock clock, ulong device, MemoryBudget? budget = null)
    {
        _host = host;
        _fs = new Tmpfs(clock, device, "cgroup2", CGROUP2_SUPER_MAGIC, new TmpfsOptions { RootMode = Directory, Budget = budget });
        _fs.LookupHook = this;
        _fs.DirectoryHook = this;
        var tree = new MountTree(_fs, "cgroup2");
        _ns = new Namespace(tree);
        _ctx = new PathContext(Credentials.Root, tree.Root, tree.Root);
        Tree = new CgroupTree(this);
        _fs.Root.Generator = Tree.Root;
        Sync(_fs.Root);
    }

    public Filesystem Filesystem => _fs;
    /// <summary>The cgroup hierarchy (the VfsActor's).</summary>
    public readonly CgroupTree Tree;

    public void BeforeLookup(DirectoryInode dir, string name, in PathContext ctx) => Sync(dir);

    public void BeforeList(DirectoryInode dir, in PathContext ctx) => Sync(dir);

    public int AfterMkdir(DirectoryInode parent, string name, DirectoryInode made)
    {
        if (_editing) return 0;
        var group = parent.Generator as Cgroup;
        if (group == null) return -Errno.ENOENT;
        int r = Tree.Mkdir(group, name, out Cgroup? child);
        if (r < 0) return r;
        made.Generator = child;
        Sync(made);
        return 0;
    }

    public bool TakesFiles => _editing;

    public int BeforeRmdir(DirectoryInode dir)
    {
        if (_editing) return 0;
        var group = dir.Generator as Cgroup;
        if (group == null) return 0;
        int r = Tree.Rmdir(group);
        if (r < 0) return r;
        _editing = true;
        string path = group.Path;
        for (int i = 0; i < ControlFile.All.Length; i++) _ns.Unlink(_ctx, string.Concat(path, "/", ControlFile.All[i].Name));
        _editing = false;
        return 0;
    }

    /// <summary>After a write to <paramref name="g"/>'s files: its children's pids.* files follow
    /// its subtree_control now, before any open could create a plain file of that name.</summary>
    public void Changed(Cgroup g)
    {
        if (g.Removed) return;
        DirectoryInode? dir = DirectoryOf(g);
        if (dir == null) return;
        long cookie = DirectoryInode.FirstCookie;
        while (dir.ReadAt(cookie, out DirectoryEntry? e) && e != null)
        {
            cookie = e.Cookie + 1;
            if (e.Inode is DirectoryInode sub) Sync(sub);
        }
    }

    /// <summary>The directory of <paramref name="g"/> (a cgroup2 mount made in a cgroup namespace
    /// shows the namespace's root there), or null once it is removed.</summary>
    public DirectoryInode? DirectoryOf(Cgroup g)
    {
        if (g.IsRoot) return _fs.Root;
        if (g.Removed) return null; // another cgroup may have its name now
        if (_ns.Lookup(_ctx, g.Path, false, out Location at) != 0) return null;
        return at.Inode as DirectoryInode;
    }

    // Makes the directory's control files match what its cgroup has now.
    private void Sync(DirectoryInode dir)
    {
        if (_editing) return;
        var group = dir.Generator as Cgroup;
        if (group == null || group.Removed) return;
        _editing = true;
        string prefix = group.IsRoot ? "/" : string.Concat(group.Path, "/");
        for (int i = 0; i < ControlFile.All.Length; i++)
        {
            ControlFile file = ControlFile.All[i];
            Inode? present = dir.Lookup(file.Name);
            bool wanted = file.ExistsIn(group);
            if (wanted && present == null) MakeFile(string.Concat(prefix, file.Name), group, file);
            else if (!wanted && present != null) _ns.Unlink(_ctx, string.Concat(prefix, file.Name));
        }
        _editing = false;
    }

    private void MakeFile(string path, Cgroup group, ControlFile file)
    {
        if (_ns.Open(_ctx, path, VfsOpenFlags.O_WRONLY | VfsOpenFlags.O_CREAT, file.Mode, out Location at) != 0) return;
        at.Inode.Generator = new CgroupControl(group, file);
        at.Inode.Release();
    }

    // --- ICgroupHost: what the tree asks of the kernel, on the VfsActor --------------------

    public void Kill(CgroupMember member)
    {
        UserProcess? p = _host.Table.Find(member.Pid);
        if (p == null || p.Exited) return;
        _host.Scheduler.Send(p.MainThread, new SignalMessage(Signals.Signal.SIGKILL, Signals.SignalInfo.SI_KERNEL, 0, 0, true));
    }

    // Not found: a fork not yet in the table, which reads member.FreezeWanted once it is
    // (written before this look-up); or a process that exited, whose exit ends the ask.
    public void Freeze(CgroupMember member, int generation)
    {
        UserProcess? p = _host.Table.Find(member.Pid);
        if (p == null || p.Exited) return;
        ProcessQuery.Post(p, q => q.SetFrozen(generation));
    }

    public void FreezeThread(CgroupMember member, int tid, int? generation)
    {
        UserProcess? p = _host.Table.Find(member.Pid);
        if (p == null || p.Exited) return;
        ProcessQuery.Post(p, q => q.SetThreadFrozen(tid, generation));
    }

    public void Wake(ICgroupWaiter waiter)
    {
        ((CgroupPollWaiter)waiter).Waiter.Wake(_host.Scheduler, PollEvents.POLLPRI | PollEvents.POLLERR);
    }

    public void Defer(System.Action step) => _host.Vfs.Defer(() =>
    {
        step();
        return 0;
    });

    public int[] RootPids()
    {
        UserProcess[] all = _host.Table.Snapshot;
        var pids = new List<int>();
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess p = all[i];
            if (p == null || p.Exited) continue;
            CgroupMember? m = p.CgroupMember;
            if (m == null || (m.Group == null && !m.Left)) pids.Add(p.Pid);
        }
        return pids.ToArray();
    }

    public CgroupMember? MemberOf(int pid)
    {
        UserProcess? p = _host.Table.Find(pid);
        return p == null ? null : System.Threading.Volatile.Read(ref p.CgroupMember);
    }

    public int[] ThreadIds(int pid)
    {
        UserProcess? p = _host.Table.Find(pid);
        if (p == null || p.Exited) return new int[0];
        UserThread[] threads = p.ThreadSnapshot;
        var tids = new int[threads.Length];
        for (int i = 0; i < tids.Length; i++) tids[i] = threads[i].Tid;
        return tids;
    }
}

/// <summary>What a control file's inode stands for: a file of one cgroup.</summary>
public sealed class CgroupControl
{
    public readonly Cgroup Group;
    public readonly ControlFile File;

    public CgroupControl(Cgroup group, ControlFile file)
    {
        Group = group;
        File = file;
    }
}

/// <summary>A poll(2) waiter as the tree holds it.</summary>
public sealed class CgroupPollWaiter : ICgroupWaiter
{
    public readonly FileWaiter Waiter;

    public CgroupPollWaiter(FileWaiter waiter) { Waiter = waiter; }

    public bool Done => Waiter.Done;
}

// CgroupNamespaceTests: paths seen from a cgroup namespace's root (cgroup_path_ns:
// "/" for the root, "/../b" for a sibling, "/.." above it); unshare and clone
// with CLONE_NEWCGROUP root a new namespace at the caller's cgroup; setns
// through /proc/<pid>/ns/cgroup; EPERM unprivileged. (qemu/user/cgroups/cgroupns.c
// runs the same natively and on the kernel.)
using Kevlar.Cgroups;
using Kevlar.Process.Files;
using Kevlar.Process.Namespaces;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class CgroupNamespaceTests
{
    private readonly ProcessHarness _k = new();

    private CgroupTree Tree => _k.Host.Vfs.Types.Cgroups!.Tree;

    private Cgroup Mkdir(Cgroup parent, string name)
    {
        Assert.Equal(0, Tree.Mkdir(parent, name, out Cgroup? made));
        return made!;
    }

    [Fact]
    public void PathOf_FromTheNamespaceRoot()
    {
        Cgroup a = Mkdir(Tree.Root, "a"), b = Mkdir(Tree.Root, "b"), c = Mkdir(a, "c"), d = Mkdir(b, "d");
        var ns = new CgroupNamespace(0xF0000100, a);

        Assert.Equal("/", ns.PathOf(a));
        Assert.Equal("/c", ns.PathOf(c));
        Assert.Equal("/..", ns.PathOf(Tree.Root));
        Assert.Equal("/../b", ns.PathOf(b));
        Assert.Equal("/../b/d", ns.PathOf(d));
        Assert.Equal("/../../a", new CgroupNamespace(1, d).PathOf(a));
        Assert.Equal("/a/c", _k.Host.InitialCgroups.PathOf(c));
    }

    [Fact]
    public void Unshare_NewCgroup_RootsAtTheCallersCgroup_CloneToo_UnprivilegedEperm()
    {
        UserThread t = _k.NewProcess().MainThread;
        CgroupNamespace before = t.Cgroups;
        Assert.Same(_k.Host.InitialCgroups, before);
        Assert.Equal(CgroupNamespace.InitialInode, before.Inode);

        Assert.Equal(0, _k.Call(t, () => Unshare.Invoke(t, Args(Unshare.CLONE_NEWCGROUP))));

        Assert.NotSame(before, t.Cgroups);
        Assert.Same(Tree.Root, t.Cgroups.Root);                          // it is in the root cgroup
        Assert.True(t.Cgroups.Inode >= 0xF0000000UL);
        long pid = Fork.Do(t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0);
        Assert.Same(t.Cgroups, _k.Host.Table.Find((int)pid)!.MainThread.Cgroups);   // fork passes it on
        pid = Fork.Do(t, Unshare.CLONE_NEWCGROUP | (ulong)Signal.SIGCHLD, 0, 0, 0, 0);
        Assert.NotSame(t.Cgroups, _k.Host.Table.Find((int)pid)!.MainThread.Cgroups);

        UserThread user = _k.NewProcess(uid: 1000).MainThread;
        Assert.Equal(Err(Errno.EPERM), _k.Call(user, () => Unshare.Invoke(user, Args(Unshare.CLONE_NEWCGROUP))));
        Assert.Same(before, user.Cgroups);
    }

    [Fact]
    public void Setns_ThroughTheProcNsLink()
    {
        UserThread other = _k.NewProcess().MainThread;
        Assert.Equal(0, _k.Call(other, () => Unshare.Invoke(other, Args(Unshare.CLONE_NEWCGROUP))));
        UserProcess p = _k.NewProcess();
        long fd = _k.Call(p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(p, Scratch, "/proc/" + other.Process.Pid + "/ns/cgroup"), OpenFlags.O_RDONLY, 0));
        Assert.True(fd >= 0, "open: " + fd);

        Assert.Equal(Err(Errno.EINVAL), _k.Call(p, t => Setns.Invoke(t, Args((ulong)fd, Unshare.CLONE_NEWUTS))));
        Assert.Equal(0, _k.Call(p, t => Setns.Invoke(t, Args((ulong)fd, Unshare.CLONE_NEWCGROUP))));

        Assert.Same(other.Cgroups, p.MainThread.Cgroups);
    }

    [Fact]
    public void ProcPidCgroup_EachOpenKeepsItsReadersView_WhateverAnotherReaderOpensMeanwhile()
    {
        Cgroup a = Mkdir(Tree.Root, "a");
        UserProcess target = _k.NewProcess();
        Assert.Equal(0, Tree.Migrate(Kevlar.Process.Files.Cgroups.CgroupCall.MemberOf(target), a));
        UserProcess inside = _k.NewProcess(), outside = _k.NewProcess();
        inside.MainThread.Cgroups = new CgroupNamespace(0xF0000200, a);                  // sees a as "/"
        string path = "/proc/" + target.Pid + "/cgroup";
        long mine = _k.Call(inside, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(inside, Scratch, path), OpenFlags.O_RDONLY, 0));
        long theirs = _k.Call(outside, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(outside, Scratch, path), OpenFlags.O_RDONLY, 0));
        Assert.True(mine >= 0 && theirs >= 0, "open: " + mine + " " + theirs);

        Assert.Equal("0::/\n", ReadAll(inside, mine));     // opened first, read after the other open rewrote the file
        Assert.Equal("0::/a\n", ReadAll(outside, theirs));
    }

    private string ReadAll(UserProcess p, long fd)
    {
        long n = _k.Call(p, t => ReadWrite.Read(t, Args((ulong)fd, Scratch + 0x100, 256)));
        Assert.True(n > 0, "read: " + n);
        return GetString(p, Scratch + 0x100, (int)n);
    }
}

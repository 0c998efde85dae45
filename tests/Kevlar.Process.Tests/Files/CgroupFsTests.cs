// CgroupFsTests: the kernel end of cgroup v2 (Files/Cgroups): mount -t cgroup2,
// directories that follow the tree, kernfs's refusals, control files through
// open/read/write/lseek, /proc/self/cgroup, and fork's charge (Fork.Start) with
// pids.max and the exit's leave.
using Kevlar.Cgroups;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Cgroups;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class CgroupFsTests
{
    private const string Mnt = "/sys/fs/cgroup";
    private const ulong PathAt = Scratch + 0x8000, Buf = Scratch + 0x9000, Name = Scratch + 0xA000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public CgroupFsTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
        PutString(_p, Name, "cgroup2");
        PutString(_p, PathAt, Mnt);
        Assert.Equal(0, _k.Call(_p, t => MountCall.InvokeMount(t, Args(Name, PathAt, Name, 0, 0))));
    }

    private CgroupTree Tree => _k.Host.Vfs.Types.Cgroups!.Tree;

    private long Open(string path, int flags, uint mode = 0)
    {
        PutString(_p, PathAt, path);
        return _k.Call(_t, () => Kevlar.Process.Syscalls.Open.Do(_t, PathLookup.AT_FDCWD, PathAt, flags, mode));
    }

    private long Mkdir(string path)
    {
        PutString(_p, PathAt, path);
        return _k.Call(_p, t => Kevlar.Process.Syscalls.Mkdir.InvokeMkdir(t, Args(PathAt, 0x1ED)));
    }

    private long Write(string path, string text)
    {
        long fd = Open(path, OpenFlags.O_WRONLY);
        Assert.True(fd >= 0, path + ": " + fd);
        PutString(_p, Buf, text);
        long r = _k.Call(_t, () => ReadWrite.DoWrite(_t, (int)fd, Buf, (ulong)text.Length));
        _p.Files.Close((int)fd);
        return r;
    }

    private string Read(string path, int chunk = 4096)
    {
        long fd = Open(path, OpenFlags.O_RDONLY);
        Assert.True(fd >= 0, path + ": " + fd);
        var text = new System.Text.StringBuilder();
        while (true)
        {
            long n = _k.Call(_t, () => ReadWrite.DoRead(_t, (int)fd, Buf, (ulong)chunk));
            Assert.True(n >= 0, "read: " + n);
            if (n == 0) break;
            text.Append(GetString(_p, Buf, (int)n));
        }
        _p.Files.Close((int)fd);
        return text.ToString();
    }

    private long ForkOf(UserProcess p) => _k.Call(p, t => Fork.Start(t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0));

    [Fact]
    public void Mount_RootHasTheRootsFilesOnly()
    {
        Assert.Equal("pids\n", Read(Mnt + "/cgroup.controllers"));
        Assert.Equal("max\n", Read(Mnt + "/cgroup.max.depth"));
        Assert.Equal(Err(Errno.ENOENT), Open(Mnt + "/cgroup.events", OpenFlags.O_RDONLY));
        Assert.Contains(_p.Pid.ToString(), Read(Mnt + "/cgroup.procs").Split('\n'));
    }

    [Fact]
    public void Mount_Cgroup2Options_TakenAndUnknownOnesEINVAL()
    {
        PutString(_p, PathAt, "/mnt");
        _k.Call(_p, t => Kevlar.Process.Syscalls.Mkdir.InvokeMkdir(t, Args(PathAt, 0x1ED)));
        PutString(_p, Buf, "nsdelegate,memory_recursiveprot");
        Assert.Equal(0, _k.Call(_p, t => MountCall.InvokeMount(t, Args(Name, PathAt, Name, 0, Buf))));
        PutString(_p, PathAt, "/tmp");
        PutString(_p, Buf, "bogus");
        Assert.Equal(Err(Errno.EINVAL), _k.Call(_p, t => MountCall.InvokeMount(t, Args(Name, PathAt, Name, 0, Buf))));
    }

    [Fact]
    public void Mkdir_MakesACgroupWithItsFiles_RmdirRemovesIt()
    {
        Assert.Equal(0, Mkdir(Mnt + "/a"));
        Assert.NotNull(Tree.Root.Child("a"));
        Assert.Equal("populated 0\nfrozen 0\n", Read(Mnt + "/a/cgroup.events"));
        Assert.Equal(Err(Errno.ENOENT), Open(Mnt + "/a/pids.max", OpenFlags.O_RDONLY));
        Assert.Equal(Err(Errno.EEXIST), Mkdir(Mnt + "/a"));
        PutString(_p, PathAt, Mnt + "/a");
        Assert.Equal(0, _k.Call(_p, t => Kevlar.Process.Syscalls.Unlink.InvokeRmdir(t, Args(PathAt))));
        Assert.Null(Tree.Root.Child("a"));
    }

    [Fact]
    public void Unlink_AControlFile_EPERM_AndItStays()
    {
        Mkdir(Mnt + "/a");
        PutString(_p, PathAt, Mnt + "/a/cgroup.procs");
        Assert.Equal(Err(Errno.EPERM), _k.Call(_p, t => Kevlar.Process.Syscalls.Unlink.InvokeUnlink(t, Args(PathAt))));
        Assert.True(Open(Mnt + "/a/cgroup.procs", OpenFlags.O_RDONLY) >= 0);
    }

    [Fact]
    public void Create_APlainFile_EACCES_ButOCreatOnAControlFileOpensIt()
    {
        Mkdir(Mnt + "/a");
        Assert.Equal(Err(Errno.EACCES), Open(Mnt + "/a/new", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0x1A4));
        Assert.True(Open(Mnt + "/a/cgroup.procs", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0x1A4) >= 0);
    }

    [Fact]
    public void WriteZero_MovesTheWriter_ProcSelfCgroupShowsIt_RmdirBusy()
    {
        Mkdir(Mnt + "/a");
        Assert.Equal(2, Write(Mnt + "/a/cgroup.procs", "0\n"));
        Assert.Same(Tree.Root.Child("a"), _p.CgroupMember!.Group);
        Assert.Equal("0::/a\n", Read("/proc/self/cgroup"));
        PutString(_p, PathAt, Mnt + "/a");
        Assert.Equal(Err(Errno.EBUSY), _k.Call(_p, t => Kevlar.Process.Syscalls.Unlink.InvokeRmdir(t, Args(PathAt))));
        Assert.Equal(Err(Errno.ESRCH), Write(Mnt + "/a/cgroup.procs", "99999"));
        Assert.Equal(Err(Errno.EINVAL), Write(Mnt + "/a/cgroup.procs", "x"));
    }

    [Fact]
    public void Read_InSmallPieces_ContinuesAtTheOffset()
    {
        Mkdir(Mnt + "/a");
        Assert.Equal("populated 0\nfrozen 0\n", Read(Mnt + "/a/cgroup.events", chunk: 3));
    }

    [Fact]
    public void SubtreeControl_BringsThePidsFilesToChildren()
    {
        Mkdir(Mnt + "/a");
        Assert.Equal(6, Write(Mnt + "/cgroup.subtree_control", "+pids\n"));
        Assert.Equal("max\n", Read(Mnt + "/a/pids.max"));
        Assert.Equal(6, Write(Mnt + "/cgroup.subtree_control", "-pids\n"));
        Assert.Equal(Err(Errno.ENOENT), Open(Mnt + "/a/pids.max", OpenFlags.O_RDONLY));
    }

    [Fact]
    public void Fork_InTheRootCgroup_AsksNothing()
    {
        KernelTaskOf(out bool completed);
        Assert.True(completed);
    }

    private void KernelTaskOf(out bool completed)
    {
        var task = _k.Start(_t, () => Fork.Start(_t, (ulong)Signal.SIGCHLD, 0, 0, 0, 0));
        completed = task.IsCompleted;
        if (!completed) _k.Run();
        Assert.True(task.Result > 0);
        Assert.Null(_k.Host.Table.Find((int)task.Result)!.CgroupMember);
    }

    [Fact]
    public void Fork_PastPidsMax_EAGAINAndCounted_ChildrenJoinLeaveAndAreUnchargedWhenReaped()
    {
        Write(Mnt + "/cgroup.subtree_control", "+pids");
        Mkdir(Mnt + "/a");
        Write(Mnt + "/a/pids.max", "2");
        Write(Mnt + "/a/cgroup.procs", "0");
        long child = ForkOf(_p);
        Assert.True(child > 0, "fork: " + child);
        UserProcess c = _k.Host.Table.Find((int)child)!;
        Assert.Same(Tree.Root.Child("a"), c.CgroupMember!.Group);
        Assert.Equal(Err(Errno.EAGAIN), ForkOf(_p));
        Assert.Equal("2\n", Read(Mnt + "/a/pids.current"));
        Assert.Equal("max 1\n", Read(Mnt + "/a/pids.events"));
        _k.OnCpu(c.MainThread.Home, () =>
        {
            c.ExitGroup(0);
            return 0;
        });
        _k.Run();
        // The zombie has left cgroup.procs but keeps its pid charged until it is reaped, as on Linux.
        Assert.Equal("2\n", Read(Mnt + "/a/pids.current"));
        Assert.DoesNotContain(child.ToString(), Read(Mnt + "/a/cgroup.procs").Split('\n'));
        Assert.Equal(Err(Errno.EAGAIN), ForkOf(_p));
        Assert.Equal(child, _k.OnCpu(_p.MainThread.Home, () => Wait4.Do(_p.MainThread, (int)child, 0, Wait4.WNOHANG, 0)).Result);
        _k.Run();
        Assert.Equal("1\n", Read(Mnt + "/a/pids.current"));
        Assert.True(ForkOf(_p) > 0);
    }

    [Fact]
    public void Exit_OfAProcessTheTreeNeverKnew_PostsNothingAndCannotBeMoved()
    {
        UserProcess q = _k.NewProcess();
        _k.OnCpu(q.MainThread.Home, () =>
        {
            q.ExitGroup(0);
            return 0;
        });
        Assert.True(q.CgroupMember!.Left);
        Mkdir(Mnt + "/a");
        Assert.Equal(Err(Errno.ESRCH), Write(Mnt + "/a/cgroup.procs", q.Pid.ToString()));
    }
}

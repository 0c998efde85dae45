// MountNamespaceTests: unshare(CLONE_NEWNS) and clone(CLONE_NEWNS) give a copy
// of the caller's mount tree — the same filesystems, so files are shared — in
// which mounts and unmounts do not show in the original, nor the original's
// in the copy; root and working directory move into the copy; mount
// operations on a place in another namespace are EINVAL (check_mnt); the
// errors in Linux's order; /proc/<pid>/ns/mnt opens the namespace's nsfs file
// and setns(2) enters it. (qemu/user/files/mntns.c runs the same natively
// and on the kernel.)
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class MountNamespaceTests
{
    private const ulong Source = Scratch, Target = Scratch + 0x1000, Type = Scratch + 0x2000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public MountNamespaceTests()
    {
        _p = _k.NewProcess();
        Assert.Equal(0, _k.Call(_p, t => Kevlar.Process.Syscalls.Mkdir.InvokeMkdir(t, Args(PutString(_p, Target, "/mnt"), 0x1ED))));
    }

    private long Mount(UserProcess p, string target, ulong flags = 0, string? source = "none")
    {
        ulong s = source == null ? 0 : PutString(p, Source, source);
        ulong tg = PutString(p, Target, target);
        ulong ty = PutString(p, Type, "tmpfs");
        return _k.Call(p, t => MountCall.InvokeMount(t, Args(s, tg, (flags & MountCall.MS_BIND) != 0 ? 0 : ty, flags, 0)));
    }

    private long Umount(UserProcess p, string target, int flags = 0)
        => _k.Call(p, t => MountCall.InvokeUmount2(t, Args(PutString(p, Target, target), (ulong)flags)));

    private long Unshare(UserProcess p, ulong flags) => _k.Call(p, t => Kevlar.Process.Syscalls.Unshare.Invoke(t, Args(flags)));

    private long Touch(UserProcess p, string path)
    {
        long fd = _k.Call(p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(p, Target, path), OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0x1A4));
        if (fd >= 0) Close.Invoke(p.MainThread, Args((ulong)fd));
        return fd;
    }

    // Where path leads from p's root, or the errno.
    private int Lookup(UserProcess p, string path, out Location at)
    {
        var ctx = new Kevlar.Vfs.Paths.PathContext(Kevlar.Vfs.Credentials.Root, p.Root, p.Cwd);
        return _k.Host.Vfs.Namespace.Lookup(ctx, path, true, out at);
    }

    private static string ProcMounts(UserProcess p)
    {
        var sb = new StringBuilder();
        p.Mounts.WriteProcMounts(p.Root, sb);
        return sb.ToString();
    }

    private UserProcess Cloned(UserProcess p, ulong flags)
    {
        long pid = _k.Call(p, t => Fork.Start(t, flags | (ulong)Signal.SIGCHLD, 0, 0, 0, 0));
        Assert.True(pid > 0, "clone: " + pid);
        return _k.Host.Table.Find((int)pid)!;
    }

    [Fact]
    public void Unshare_NewNs_MountsInsideDoNotShowOutside()
    {
        MountTree before = _p.Mounts;

        Assert.Equal(0, Unshare(_p, Fork.CLONE_NEWNS));
        Assert.Equal(0, Mount(_p, "/mnt"));
        Assert.Equal(0, Touch(_p, "/mnt/inside") >= 0 ? 0 : -1);

        Assert.NotSame(before, _p.Mounts);
        Assert.Same(_p.Mounts, _p.Root.Mount.Tree);
        Assert.True(_p.Mounts.NamespaceInode >= 0xF0000000UL && _p.Mounts.NamespaceInode != before.NamespaceInode);
        Assert.Equal(before.Count + 1, _p.Mounts.Count);
        Assert.Contains("none /mnt tmpfs", ProcMounts(_p));
        Assert.False(_k.Lookup("/mnt").IsMountRoot);                      // the first namespace's /mnt
        Assert.Equal(-Errno.ENOENT, Lookup(_k.NewProcess(), "/mnt/inside", out _));
        Assert.Equal(0, Lookup(_p, "/mnt/inside", out _));
    }

    [Fact]
    public void Unshare_NewNs_CopiesEveryMount_AndUnmountingTheCopyLeavesTheOriginal()
    {
        Assert.Equal(0, Mount(_p, "/mnt"));
        Assert.True(Touch(_p, "/mnt/file") >= 0);
        UserProcess q = _k.NewProcess();
        int mountsBefore = _p.Mounts.Count;

        Assert.Equal(0, Unshare(q, Fork.CLONE_NEWNS));
        Assert.Equal(mountsBefore, q.Mounts.Count);
        Assert.Equal(ProcMounts(_p), ProcMounts(q));
        Assert.Equal(0, Lookup(q, "/mnt/file", out Location inCopy));
        Assert.Equal(0, Lookup(_p, "/mnt/file", out Location inOriginal));
        Assert.Same(inOriginal.Inode, inCopy.Inode);                   // one filesystem, seen twice
        Assert.NotSame(inOriginal.Mount, inCopy.Mount);

        Assert.Equal(0, Umount(q, "/mnt"));

        Assert.Equal(-Errno.ENOENT, Lookup(q, "/mnt/file", out _));
        Assert.Equal(0, Lookup(_p, "/mnt/file", out _));
        Assert.Equal(mountsBefore, _p.Mounts.Count);
        Assert.Equal(0, Umount(_p, "/mnt"));
    }

    [Fact]
    public void Clone_NewNs_TheChildGetsACopy_WithItsWorkingDirectoryMoved()
    {
        Assert.Equal(0, Mount(_p, "/mnt"));
        Assert.Equal(0, _k.Call(_p, t => Cwd.Chdir(t, Args(PutString(_p, Target, "/mnt")))));

        UserProcess child = Cloned(_p, Fork.CLONE_NEWNS);

        Assert.NotSame(_p.Mounts, child.Mounts);
        Assert.Same(child.Mounts, child.Cwd.Mount.Tree);
        Assert.Same(child.Mounts, child.Root.Mount.Tree);
        Assert.Same(_p.Cwd.Inode, child.Cwd.Inode);
        Assert.Equal(0, Lookup(child, "/mnt", out Location childMnt));
        Assert.True(childMnt.IsMountRoot);
        Assert.Same(child.Mounts, childMnt.Mount.Tree);
        Assert.Same(_k.Lookup("/mnt").Inode, childMnt.Inode);
        // (The child is not run: a host test has no user code. Plain fork, without running it either:)
        long pid = Fork.Do(_p.MainThread, (ulong)Signal.SIGCHLD, 0, 0, 0, 0);
        Assert.Same(_p.Mounts, _k.Host.Table.Find((int)pid)!.Mounts);   // shares the namespace
    }

    [Fact]
    public void MountOperations_OnAPlaceInAnotherNamespace_AreEinval()
    {
        Assert.Equal(0, Mount(_p, "/mnt"));
        long fd = _k.Call(_p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(_p, Target, "/mnt"), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0));
        Assert.True(fd >= 0);
        Assert.Equal(0, Unshare(_p, Fork.CLONE_NEWNS));
        Assert.Equal(0, Cwd.Fchdir(_p.MainThread, Args((ulong)fd)));     // the first namespace's /mnt

        Assert.Equal(-Errno.EINVAL, Mount(_p, "."));
        Assert.Equal(-Errno.EINVAL, Umount(_p, "."));
        Assert.Equal(-Errno.EINVAL, Mount(_p, "/tmp", MountCall.MS_BIND, source: "."));
        Assert.Equal(0, Mount(_p, "/tmp", MountCall.MS_BIND, source: "/mnt"));   // its own copy
        Assert.True(_k.Lookup("/mnt").IsMountRoot);
    }

    [Fact]
    public void Setns_ThroughTheProcNsLink_EntersThatNamespaceAtItsRoot()
    {
        UserProcess q = _k.NewProcess();
        Assert.Equal(0, Unshare(q, Fork.CLONE_NEWNS));
        Assert.Equal(0, Mount(q, "/mnt"));
        Assert.Equal(0, _k.Call(_p, t => Cwd.Chdir(t, Args(PutString(_p, Target, "/tmp")))));
        long fd = _k.Call(_p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(_p, Target, "/proc/" + q.Pid + "/ns/mnt"), OpenFlags.O_RDONLY, 0));
        Assert.True(fd >= 0, "open: " + fd);
        long dir = _k.Call(_p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(_p, Target, "/"), OpenFlags.O_RDONLY, 0));

        Assert.Equal(-Errno.EBADF, _k.Call(_p, t => Setns.Invoke(t, Args(99, 0))));
        Assert.Equal(-Errno.EINVAL, _k.Call(_p, t => Setns.Invoke(t, Args((ulong)dir, 0))));
        Assert.Equal(-Errno.EINVAL, _k.Call(_p, t => Setns.Invoke(t, Args((ulong)fd, Kevlar.Process.Syscalls.Unshare.CLONE_NEWUTS))));
        Assert.Equal(0, _k.Call(_p, t => Setns.Invoke(t, Args((ulong)fd, Fork.CLONE_NEWNS))));

        Assert.Same(q.Mounts, _p.Mounts);
        Assert.Equal(q.Mounts.Root, _p.Root);
        Assert.Equal(q.Mounts.Root, _p.Cwd);
        Assert.Equal(0, Lookup(_p, "/mnt", out Location mnt));
        Assert.True(mnt.IsMountRoot);
    }

    [Fact]
    public void AnOpenNsFile_KeepsTheNamespace_UntilItsLastClose()
    {
        UserProcess q = _k.NewProcess();
        Assert.Equal(0, Unshare(q, Fork.CLONE_NEWNS));
        Assert.Equal(0, Mount(q, "/mnt"));
        MountTree tree = q.Mounts;
        long fd = _k.Call(_p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(_p, Target, "/proc/" + q.Pid + "/ns/mnt"), OpenFlags.O_RDONLY, 0));
        Assert.True(fd >= 0, "open: " + fd);
        q.ExitGroup(0);
        _k.Run();
        Assert.False(tree.RootMount.Detached);                           // the file holds it, as on Linux

        Assert.Equal(0, Close.Invoke(_p.MainThread, Args((ulong)fd)));
        _k.Run();
        Assert.True(tree.RootMount.Detached);                            // its last user went
    }

    [Fact]
    public void Errors_InLinuxOrder()
    {
        UserProcess user = _k.NewProcess(uid: 1000);
        Assert.Equal(-Errno.EPERM, Unshare(user, Fork.CLONE_NEWNS));
        Assert.Equal(-Errno.EPERM, _k.Call(user, t => Fork.Start(t, Fork.CLONE_NEWNS | (ulong)Signal.SIGCHLD, 0, 0, 0, 0)));
        Assert.Same(_k.Host.Vfs.Namespace.Mounts, user.Mounts);

        // A thread of the process shares its root, cwd and namespace: unsharing them for one thread is not done here.
        const ulong threadFlags = Fork.CLONE_VM | Fork.CLONE_FS | Fork.CLONE_FILES | Fork.CLONE_SIGHAND | Fork.CLONE_THREAD;
        Assert.True(Fork.Do(_p.MainThread, threadFlags, 0x7000_0000, 0, 0, 0) > 0);
        Assert.Equal(-Errno.EINVAL, Unshare(_p, Fork.CLONE_NEWNS));
        Assert.Equal(-Errno.EINVAL, _k.Call(_p, t => Fork.Start(t, threadFlags | Fork.CLONE_NEWNS, 0x7000_0000, 0, 0, 0)));
        Assert.Same(_k.Host.Vfs.Namespace.Mounts, _p.Mounts);
    }
}

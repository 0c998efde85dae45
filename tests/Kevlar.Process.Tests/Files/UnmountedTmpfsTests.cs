// UnmountedTmpfsTests: a tmpfs made by mount(2) is gone with its last mount
// once nothing uses it — an umount, or the end of the last process of a mount
// namespace it was mounted in — and its pages go back to the budget every
// in-memory filesystem shares; a lazily unmounted one that a process still
// works in keeps them; the boot filesystems and the first namespace stay.
using Kevlar.Process.Files;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Files;

public class UnmountedTmpfsTests
{
    private const ulong Source = Scratch, Target = Scratch + 0x1000, Type = Scratch + 0x2000;
    private const int FilePages = 16;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public UnmountedTmpfsTests()
    {
        _p = _k.NewProcess();
        Assert.Equal(0, _k.Call(_p, t => Mkdir.InvokeMkdir(t, Args(PutString(_p, Target, "/mnt"), 0x1ED))));
    }

    private MemoryBudget Budget => _k.Host.Vfs.Types.Budget!;

    private void MountTmpfs(UserProcess p)
    {
        ulong s = PutString(p, Source, "none"), tg = PutString(p, Target, "/mnt"), ty = PutString(p, Type, "tmpfs");
        Assert.Equal(0, _k.Call(p, t => MountCall.InvokeMount(t, Args(s, tg, ty, 0, 0))));
    }

    // A file of FilePages pages in the tmpfs on /mnt; the fd stays open when keepOpen.
    private long Fill(UserProcess p, bool keepOpen = false)
    {
        long fd = _k.Call(p, t => Open.Do(t, PathLookup.AT_FDCWD, PutString(p, Target, "/mnt/data"), OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0x1A4));
        Assert.True(fd >= 0, "open: " + fd);
        Assert.Equal(0, _k.Call(p, t => Fallocate.InvokeFallocate(t, Args((ulong)fd, 0, 0, FilePages * 4096))));
        if (!keepOpen)
        {
            Assert.Equal(0, _k.OnCpu(p.MainThread.Home, () => Close.Invoke(p.MainThread, Args((ulong)fd))));
            _k.Run();
        }
        return fd;
    }

    private long Umount(UserProcess p, int flags = 0)
        => _k.Call(p, t => MountCall.InvokeUmount2(t, Args(PutString(p, Target, "/mnt"), (ulong)flags)));

    [Fact]
    public void Umount_OfAFullTmpfs_GivesItsPagesBack()
    {
        long before = Budget.PagesInUse;
        MountTmpfs(_p);
        var fs = (Tmpfs)_k.Lookup("/mnt").Inode.Filesystem;
        Fill(_p);
        Assert.Equal(before + FilePages, Budget.PagesInUse);

        Assert.Equal(0, Umount(_p));

        Assert.Equal(0, fs.MountCount);
        Assert.Equal(before, Budget.PagesInUse);
    }

    [Fact]
    public void LazyUmount_WhileAFileIsOpenInside_KeepsThePages()
    {
        long before = Budget.PagesInUse;
        MountTmpfs(_p);
        Fill(_p, keepOpen: true);

        Assert.Equal(0, Umount(_p, MountCall.MNT_DETACH));

        Assert.Equal(before + FilePages, Budget.PagesInUse);
    }

    [Fact]
    public void TheLastProcessOfANamespace_TakesItsMountsDown()
    {
        long before = Budget.PagesInUse;
        UserProcess q = _k.NewProcess();
        Assert.Equal(0, _k.Call(q, t => Unshare.Invoke(t, Args(Fork.CLONE_NEWNS))));
        MountTmpfs(q);
        Fill(q);
        MountTree tree = q.Mounts;
        Filesystem fs = tree[tree.Count - 1].Filesystem;
        Assert.Equal(before + FilePages, Budget.PagesInUse);

        _k.OnCpu(q.MainThread.Home, () => { q.ExitGroup(WaitStatus.Exited(0)); return 0L; });
        _k.Run();

        Assert.True(tree.RootMount.Detached);
        Assert.Equal(0, tree.Count);
        Assert.Equal(0, fs.MountCount);
        Assert.Equal(before, Budget.PagesInUse);
        Assert.False(_k.Host.Vfs.Namespace.Mounts.RootMount.Detached);   // the first namespace stays
    }
}

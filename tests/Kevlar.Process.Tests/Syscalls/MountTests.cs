// MountTests: mount(2) (tmpfs with options, proc, the one devtmpfs, remount,
// bind, the errors of fs/namespace.c) and umount2(2) (not a mount, busy with
// submounts or a working directory, MNT_DETACH, MNT_EXPIRE, flags).
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Mounts;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class MountTests
{
    private const ulong Source = Scratch, Target = Scratch + 0x1000, Type = Scratch + 0x2000, Data = Scratch + 0x3000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public MountTests()
    {
        _p = _k.NewProcess();
        Assert.Equal(0, Mkdir("/mnt"));
    }

    private long Mount(string? source, string target, string? type, ulong flags = 0, string? data = null, UserProcess? p = null)
    {
        p ??= _p;
        ulong s = source == null ? 0 : PutString(p, Source, source);
        ulong d = data == null ? 0 : PutString(p, Data, data);
        ulong ty = type == null ? 0 : PutString(p, Type, type);
        ulong tg = PutString(p, Target, target);
        return _k.Call(p, t => MountCall.InvokeMount(t, Args(s, tg, ty, flags, d)));
    }

    private long Umount(string target, int flags = 0)
    {
        ulong tg = PutString(_p, Target, target);
        return _k.Call(_p, t => MountCall.InvokeUmount2(t, Args(tg, (ulong)flags)));
    }

    private long Mkdir(string path) => _k.Call(_p, t => Kevlar.Process.Syscalls.Mkdir.InvokeMkdir(t, Args(PutString(_p, Target, path), 0x1ED)));

    [Fact]
    public void Mount_Tmpfs_ShowsANewEmptyFilesystemWithItsOptions()
    {
        Assert.Equal(0, Mount("none", "/mnt", "tmpfs", MountFlags.MS_NOSUID, "size=1m,nr_inodes=10,mode=700,uid=5,gid=6"));

        Location at = _k.Lookup("/mnt");
        Assert.True(at.IsMountRoot);
        Assert.Equal("tmpfs", at.Mount.Filesystem.TypeName);
        Assert.Equal("none", at.Mount.Source);
        Assert.Equal(MountFlags.MS_NOSUID, at.Mount.Flags);
        Assert.Equal(0x1C0u, at.Inode.Mode & 0xFFF);
        Assert.Equal(5u, at.Inode.Uid);
        Assert.Equal(6u, at.Inode.Gid);
        at.Inode.Filesystem.Statfs(out StatfsInfo info);
        Assert.Equal(256, info.Blocks);
        Assert.Equal(10, info.Files);
    }

    [Fact]
    public void Mount_Errors_FollowFsNamespace()
    {
        Assert.Equal(Err(Errno.ENODEV), Mount("none", "/mnt", "ext9"));
        Assert.Equal(Err(Errno.EINVAL), Mount("none", "/mnt", null));
        Assert.Equal(Err(Errno.EINVAL), Mount("none", "/mnt", "tmpfs", 0, "bogus=1"));
        Assert.Equal(Err(Errno.EINVAL), Mount("none", "/mnt", "tmpfs", 0, "size=12q"));
        Assert.Equal(Err(Errno.ENOENT), Mount("none", "/nowhere", "tmpfs"));
        Assert.Equal(Err(Errno.EFAULT), _k.Call(_p, t => MountCall.InvokeMount(t, Args(0, PutString(_p, Target, "/mnt"), 0x10, 0, 0))));
        Assert.Equal(Err(Errno.EFAULT), _k.Call(_p, t => MountCall.InvokeMount(t, Args(0, 0x10, PutString(_p, Type, "tmpfs"), 0, 0))));
        Assert.Equal(Err(Errno.EINVAL), Mount("none", "/mnt", "tmpfs", MountCall.MS_REMOUNT));
    }

    [Fact]
    public void Mount_NotRoot_ReturnsEperm()
    {
        UserProcess user = _k.NewProcess(uid: 1000);

        Assert.Equal(Err(Errno.EPERM), Mount("none", "/mnt", "tmpfs", p: user));
        Assert.Equal(Err(Errno.ENOENT), Mount("none", "/nowhere", "tmpfs", p: user));
    }

    [Fact]
    public void Mount_Devtmpfs_ShowsTheSameInstanceAndIsBusyOnDev()
    {
        Assert.Equal(0, Mount("devtmpfs", "/mnt", "devtmpfs"));

        Assert.Same(_k.Lookup("/dev").Mount.Filesystem, _k.Lookup("/mnt").Mount.Filesystem);
        Assert.Same(_k.Lookup("/dev/null").Inode, _k.Lookup("/mnt/null").Inode);
        Assert.Equal(Err(Errno.EBUSY), Mount("devtmpfs", "/dev", "devtmpfs"));
        Assert.Equal(Err(Errno.EBUSY), Mount("proc", "/proc", "proc"));
    }

    [Fact]
    public void Mount_RemountReadOnly_MakesChangesErofs()
    {
        Mount("none", "/mnt", "tmpfs");

        Assert.Equal(0, Mount(null, "/mnt", null, MountCall.MS_REMOUNT | MountFlags.MS_RDONLY));

        Assert.True(_k.Lookup("/mnt").Mount.IsReadOnly);
        Assert.Equal(Err(Errno.EROFS), Mkdir("/mnt/d"));
        Assert.Equal(0, Mount(null, "/mnt", null, MountCall.MS_REMOUNT));
        Assert.Equal(0, Mkdir("/mnt/d"));
    }

    [Fact]
    public void Mount_Bind_ShowsTheSourceDirectory()
    {
        Mkdir("/src");
        Mkdir("/src/inner");

        Assert.Equal(0, Mount("/src", "/mnt", null, MountCall.MS_BIND));

        Assert.Same(_k.Lookup("/src/inner").Inode, _k.Lookup("/mnt/inner").Inode);
    }

    [Fact]
    public void Umount2_MountedTmpfs_UncoversTheDirectory()
    {
        Mount("none", "/mnt", "tmpfs");
        Mkdir("/mnt/x");

        Assert.Equal(0, Umount("/mnt"));

        Assert.False(_k.Lookup("/mnt").IsMountRoot);
        Assert.Equal(Err(Errno.EINVAL), Umount("/mnt"));
    }

    [Fact]
    public void Umount2_WithSubmountOrCwd_IsBusyUnlessDetached()
    {
        Mount("none", "/mnt", "tmpfs");
        Mkdir("/mnt/sub");
        Mount("none", "/mnt/sub", "tmpfs");

        Assert.Equal(Err(Errno.EBUSY), Umount("/mnt"));
        Assert.Equal(0, Umount("/mnt/sub"));
        ulong at = PutString(_p, Scratch + 0x4000, "/mnt");
        Assert.Equal(0, _k.Call(_p, t => Cwd.Chdir(t, Args(at))));
        Assert.Equal(Err(Errno.EBUSY), Umount("/mnt"));
        Assert.Equal(0, Umount("/mnt", MountCall.MNT_DETACH));
        Assert.False(_k.Lookup("/mnt").IsMountRoot);
    }

    [Fact]
    public void Umount2_Expire_MarksThenUnmounts()
    {
        Mount("none", "/mnt", "tmpfs");

        Assert.Equal(Err(Errno.EAGAIN), Umount("/mnt", MountCall.MNT_EXPIRE));
        Assert.Equal(0, Umount("/mnt", MountCall.MNT_EXPIRE));
        Assert.Equal(Err(Errno.EINVAL), Umount("/mnt", 0x100));
        Assert.Equal(Err(Errno.EBUSY), Umount("/"));
    }
}

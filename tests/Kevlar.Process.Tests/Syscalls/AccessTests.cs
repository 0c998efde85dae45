// AccessTests: access(2)/faccessat2(2) — existence, the mode bits for the
// real (or, with AT_EACCESS, effective) ids, root's rules; W_OK on the
// writable tmpfs root follows the permission bits.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Syscalls.Access;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class AccessTests
{
    private readonly ProcessHarness _k = new();

    private long Check(UserProcess p, string path, int mode, int flags = 0)
    {
        ulong at = PutString(p, Scratch, path);
        return _k.Call(p, t => Access.Do(t, PathLookup.AT_FDCWD, at, mode, flags));
    }

    [Fact]
    public void Do_ExistingFile_FokSucceeds()
    {
        UserProcess p = _k.NewProcess(uid: 1000);

        Assert.Equal(0, Check(p, "/etc/shadow", F_OK));
    }

    [Fact]
    public void Do_Missing_ReturnsEnoent()
    {
        Assert.Equal(Err(Errno.ENOENT), Check(_k.NewProcess(), "/etc/nothing", F_OK));
    }

    [Fact]
    public void Do_WokOnTheTmpfsRoot_FollowsThePermissionBits()
    {
        Assert.Equal(0, Check(_k.NewProcess(), "/etc/passwd", W_OK));
        Assert.Equal(0, Check(_k.NewProcess(), "/etc/shadow", R_OK | W_OK)); // root needs no bit to read or write
        UserProcess user = _k.NewProcess(uid: 1000);
        Assert.Equal(Err(Errno.EACCES), Check(user, "/etc/passwd", W_OK));
        Assert.Equal(Err(Errno.EACCES), Check(user, "/etc", W_OK));
        Assert.Equal(0, Check(user, "/dev/shm", R_OK | W_OK | X_OK));
    }

    [Fact]
    public void Do_UnprivilegedReadOfOwnerOnlyFile_ReturnsEacces()
    {
        UserProcess p = _k.NewProcess(uid: 1000);

        Assert.Equal(Err(Errno.EACCES), Check(p, "/etc/shadow", R_OK));
        Assert.Equal(0, Check(p, "/etc/passwd", R_OK));
        Assert.Equal(Err(Errno.EACCES), Check(p, "/etc/passwd", X_OK));
        Assert.Equal(0, Check(p, "/bin/busybox", R_OK | X_OK));
    }

    [Fact]
    public void Do_Root_ReadsAnythingButExecutesOnlyWithAnExecuteBit()
    {
        UserProcess p = _k.NewProcess(uid: 0);

        Assert.Equal(0, Check(p, "/etc/shadow", R_OK));
        Assert.Equal(Err(Errno.EACCES), Check(p, "/etc/shadow", X_OK));
        Assert.Equal(0, Check(p, "/bin/busybox", X_OK));
        Assert.Equal(0, Check(p, "/dir", X_OK));
    }

    [Fact]
    public void Do_EffectiveRootWithAtEaccess_UsesTheEffectiveId()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        p.Euid = 0;

        Assert.Equal(Err(Errno.EACCES), Check(p, "/etc/shadow", R_OK));
        Assert.Equal(0, Check(p, "/etc/shadow", R_OK, PathLookup.AT_EACCESS));
    }

    [Fact]
    public void Do_GroupMember_GetsTheGroupBits()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        p.Gid = 0;

        Assert.Equal(0, Check(p, "/etc/group", R_OK));
    }

    [Fact]
    public void Do_SupplementaryGroupMember_GetsTheGroupBits()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        p.Groups = new uint[] { 0 };

        Assert.Equal(0, Check(p, "/etc/group", R_OK));
    }

    [Fact]
    public void Do_UnknownModeBits_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Check(_k.NewProcess(), "/etc/passwd", 8));
    }

    [Fact]
    public void Do_UnknownFlag_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Check(_k.NewProcess(), "/etc/passwd", R_OK, 0x4));
    }

    [Fact]
    public void Do_PathUnmapped_ReturnsEfault()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.EFAULT), _k.Call(p, t => Access.Do(t, PathLookup.AT_FDCWD, 0x30_0000, F_OK, 0)));
    }

    [Fact]
    public void Do_DevNull_Exists()
    {
        Assert.Equal(0, Check(_k.NewProcess(uid: 1000), "/dev/null", R_OK | W_OK));
        Assert.Equal(Err(Errno.EACCES), Check(_k.NewProcess(uid: 1000), "/dev/console", R_OK)); // crw-------
    }

    [Fact]
    public void Do_SymlinkWithNofollow_ChecksTheLinkItself()
    {
        UserProcess p = _k.NewProcess(uid: 1000);

        Assert.Equal(Err(Errno.ELOOP), Check(p, "/loop", F_OK));
        Assert.Equal(0, Check(p, "/loop", F_OK, PathLookup.AT_SYMLINK_NOFOLLOW));
    }

    [Fact]
    public void InvokeAccess_FromRegisters_ChecksThePath()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        PutString(p, Scratch, "/etc/shadow");

        Assert.Equal(Err(Errno.EACCES), _k.Call(p, t => Access.InvokeAccess(t, Args(Scratch, R_OK))));
    }

    [Fact]
    public void InvokeFaccessat2_FromAnotherCpu_AnswersAfterTheRoundTrip()
    {
        UserProcess p = _k.NewProcess(cpu: 1, uid: 1000);
        PutString(p, Scratch, "/etc/shadow");

        var task = _k.Start(p.MainThread, () => Access.InvokeFaccessat2(p.MainThread, Args(I(PathLookup.AT_FDCWD), Scratch, R_OK, 0)));

        Assert.False(task.IsCompleted);
        _k.Run();
        Assert.Equal(Err(Errno.EACCES), task.Result);
    }
}

// AccessTests: access(2)/faccessat2(2) — existence, the mode bits for the
// real (or, with AT_EACCESS, effective) ids, root's rules, and EROFS for W_OK
// on the read-only root.
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

    private static long Check(UserProcess p, string path, int mode, int flags = 0)
        => Access.Do(p, PathLookup.AT_FDCWD, PutString(p, Scratch, path), mode, flags);

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
    public void Do_WokOnTheReadOnlyRoot_ReturnsErofsEvenForRoot()
    {
        Assert.Equal(Err(Errno.EROFS), Check(_k.NewProcess(), "/etc/passwd", W_OK));
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
        Assert.Equal(Err(Errno.EFAULT), Access.Do(_k.NewProcess(), PathLookup.AT_FDCWD, 0x30_0000, F_OK, 0));
    }

    [Fact]
    public void Do_DevNull_Exists()
    {
        Assert.Equal(0, Check(_k.NewProcess(uid: 1000), "/dev/null", R_OK | W_OK));
    }

    [Fact]
    public void InvokeAccess_FromRegisters_ChecksThePath()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        PutString(p, Scratch, "/etc/shadow");

        Assert.Equal(Err(Errno.EACCES), Access.InvokeAccess(p.MainThread, Args(Scratch, R_OK)));
    }
}

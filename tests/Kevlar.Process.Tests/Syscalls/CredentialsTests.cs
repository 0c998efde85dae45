// CredentialsTests: the set*id family with Linux's rules — root sets every id,
// others only move among their real, effective and saved ids (EPERM
// otherwise), -1 leaves an id alone, and an invalid id is EINVAL.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class CredentialsTests
{
    private const ulong Keep = 0xFFFF_FFFF;
    private readonly ProcessHarness _k = new();

    private UserProcess With(uint real, uint effective, uint saved)
    {
        UserProcess p = _k.NewProcess(uid: real);
        p.Euid = effective;
        p.Suid = saved;
        return p;
    }

    private static (uint, uint, uint) Uids(UserProcess p) => (p.Uid, p.Euid, p.Suid);

    [Fact]
    public void Setuid_Root_SetsRealEffectiveAndSaved()
    {
        UserProcess p = With(0, 0, 0);

        Assert.Equal(0, Credentials.Setuid(p.MainThread, Args(1000)));

        Assert.Equal((1000u, 1000u, 1000u), Uids(p));
    }

    [Fact]
    public void Setuid_UnprivilegedToAnotherId_ReturnsEperm()
    {
        UserProcess p = With(1000, 1000, 1000);

        Assert.Equal(Err(Errno.EPERM), Credentials.Setuid(p.MainThread, Args(0)));
        Assert.Equal(Err(Errno.EPERM), Credentials.Setuid(p.MainThread, Args(1001)));

        Assert.Equal((1000u, 1000u, 1000u), Uids(p));
    }

    [Fact]
    public void Setuid_UnprivilegedToItsSavedId_SetsOnlyTheEffectiveId()
    {
        UserProcess p = With(1000, 1000, 2000);

        Assert.Equal(0, Credentials.Setuid(p.MainThread, Args(2000)));

        Assert.Equal((1000u, 2000u, 2000u), Uids(p));
    }

    [Fact]
    public void Setuid_MinusOne_ReturnsEinval()
    {
        UserProcess p = With(0, 0, 0);

        Assert.Equal(Err(Errno.EINVAL), Credentials.Setuid(p.MainThread, Args(Keep)));
        Assert.Equal(Err(Errno.EINVAL), Credentials.Setgid(p.MainThread, Args(Keep)));
    }

    [Fact]
    public void Setgid_UnprivilegedToAnotherGroup_ReturnsEperm()
    {
        UserProcess p = With(1000, 1000, 1000);

        Assert.Equal(Err(Errno.EPERM), Credentials.Setgid(p.MainThread, Args(0)));
        Assert.Equal(1000u, p.Egid);
    }

    [Fact]
    public void Setresuid_MinusOne_LeavesThatIdAlone()
    {
        UserProcess p = With(1000, 2000, 3000);

        Assert.Equal(0, Credentials.Setresuid(p.MainThread, Args(Keep, 1000, Keep)));

        Assert.Equal((1000u, 1000u, 3000u), Uids(p));
    }

    [Fact]
    public void Setresuid_UnprivilegedToAForeignId_ReturnsEpermAndChangesNothing()
    {
        UserProcess p = With(1000, 2000, 3000);

        Assert.Equal(Err(Errno.EPERM), Credentials.Setresuid(p.MainThread, Args(3000, 2000, 4000)));

        Assert.Equal((1000u, 2000u, 3000u), Uids(p));
    }

    [Fact]
    public void Setreuid_UnprivilegedSwap_SetsSavedToTheNewEffective()
    {
        UserProcess p = With(1000, 2000, 2000);

        Assert.Equal(0, Credentials.Setreuid(p.MainThread, Args(2000, 1000)));

        Assert.Equal((2000u, 1000u, 1000u), Uids(p));
    }

    [Fact]
    public void Setreuid_UnprivilegedRealToSavedOnly_ReturnsEperm()
    {
        UserProcess p = With(1000, 1000, 3000);

        Assert.Equal(Err(Errno.EPERM), Credentials.Setreuid(p.MainThread, Args(3000, Keep)));
    }

    [Fact]
    public void Getresuid_WritesRealEffectiveSaved()
    {
        UserProcess p = With(1, 2, 3);

        Assert.Equal(0, Credentials.Getresuid(p.MainThread, Args(Scratch, Scratch + 4, Scratch + 8)));

        Assert.Equal(new[] { 1, 2, 3 }, new[] { GetInt32(p, Scratch), GetInt32(p, Scratch + 4), GetInt32(p, Scratch + 8) });
    }

    [Fact]
    public void Getresuid_BadPointer_ReturnsEfault()
    {
        UserProcess p = With(1, 2, 3);

        Assert.Equal(Err(Errno.EFAULT), Credentials.Getresuid(p.MainThread, Args(Scratch, 0x30_0000, Scratch + 8)));
    }

    [Fact]
    public void Setgroups_Unprivileged_ReturnsEperm()
    {
        UserProcess p = With(1000, 1000, 1000);

        Assert.Equal(Err(Errno.EPERM), Credentials.Setgroups(p.MainThread, Args(0, 0)));
    }

    [Fact]
    public void SetgroupsThenGetgroups_Root_RoundTrips()
    {
        UserProcess p = With(0, 0, 0);
        Put(p, Scratch, new byte[] { 10, 0, 0, 0, 20, 0, 0, 0 });

        Assert.Equal(0, Credentials.Setgroups(p.MainThread, Args(2, Scratch)));

        Assert.Equal(2, Credentials.Getgroups(p.MainThread, Args(0, 0)));
        Assert.Equal(Err(Errno.EINVAL), Credentials.Getgroups(p.MainThread, Args(1, Scratch + 0x100)));
        Assert.Equal(2, Credentials.Getgroups(p.MainThread, Args(8, Scratch + 0x100)));
        Assert.Equal(new[] { 10, 20 }, new[] { GetInt32(p, Scratch + 0x100), GetInt32(p, Scratch + 0x104) });
    }

    [Fact]
    public void Setgroups_MoreThanNgroupsMax_ReturnsEinval()
    {
        UserProcess p = With(0, 0, 0);

        Assert.Equal(Err(Errno.EINVAL), Credentials.Setgroups(p.MainThread, Args(Credentials.NgroupsMax + 1, Scratch)));
        Assert.Equal(Err(Errno.EINVAL), Credentials.Getgroups(p.MainThread, Args(I(-1), Scratch)));
    }
}

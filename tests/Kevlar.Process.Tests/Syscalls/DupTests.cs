// DupTests: dup(2), dup2(2), dup3(2) — the same open file description under
// another fd; dup2 to itself returns it, dup3 to itself is EINVAL.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class DupTests
{
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public DupTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
        _p.Files.Install(4, new DeviceFile(DeviceFile.Null, OpenFlags.O_RDWR), true);
    }

    [Fact]
    public void Dup_OpenFd_GivesTheLowestFreeFdForTheSameDescription()
    {
        Assert.Equal(3, Dup.InvokeDup(_t, Args(4)));

        Assert.Same(_p.Files.Get(4), _p.Files.Get(3));
        Assert.False(_p.Files.GetCloseOnExec(3));
    }

    [Fact]
    public void Dup_FdNotOpen_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), Dup.InvokeDup(_t, Args(3)));
        Assert.Equal(Err(Errno.EBADF), Dup.InvokeDup(_t, Args(I(-1))));
    }

    [Fact]
    public void Dup2_OntoAnOpenFd_ReplacesItAndClearsCloseOnExec()
    {
        Assert.Equal(4, Dup.InvokeDup2(_t, Args(1, 4)));

        Assert.Same(_p.Files.Get(1), _p.Files.Get(4));
        Assert.False(_p.Files.GetCloseOnExec(4));
    }

    [Fact]
    public void Dup2_ToItself_ReturnsTheFdAndChangesNothing()
    {
        Assert.Equal(4, Dup.InvokeDup2(_t, Args(4, 4)));

        Assert.True(_p.Files.GetCloseOnExec(4));
    }

    [Fact]
    public void Dup2_ClosedFdToItself_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), Dup.InvokeDup2(_t, Args(9, 9)));
    }

    [Fact]
    public void Dup2_FromAClosedFd_ReturnsEbadfAndKeepsTheTarget()
    {
        Assert.Equal(Err(Errno.EBADF), Dup.InvokeDup2(_t, Args(9, 1)));

        Assert.IsType<ConsoleFile>(_p.Files.Get(1));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1024)] // RLIMIT_NOFILE's soft limit
    public void Dup2_TargetOutOfRange_ReturnsEbadf(int to)
    {
        Assert.Equal(Err(Errno.EBADF), Dup.InvokeDup2(_t, Args(1, I(to))));
    }

    [Fact]
    public void Dup3_ToItself_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Dup.InvokeDup3(_t, Args(4, 4, 0)));
    }

    [Fact]
    public void Dup3_Cloexec_SetsCloseOnExecOnTheTarget()
    {
        Assert.Equal(7, Dup.InvokeDup3(_t, Args(1, 7, OpenFlags.O_CLOEXEC)));

        Assert.True(_p.Files.GetCloseOnExec(7));
        Assert.Same(_p.Files.Get(1), _p.Files.Get(7));
    }

    [Fact]
    public void Dup3_FlagOtherThanCloexec_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Dup.InvokeDup3(_t, Args(1, 7, OpenFlags.O_NONBLOCK)));
        Assert.Null(_p.Files.Get(7));
    }
}

// FcntlTests: fcntl(2) on the fd table — F_DUPFD's lowest free fd at or
// above the minimum, close-on-exec per fd, status flags per description
// where F_SETFL changes only O_APPEND/O_NONBLOCK/O_ASYNC/O_DIRECT/O_NOATIME.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Syscalls.Fcntl;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class FcntlTests
{
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public FcntlTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private long F(int fd, int cmd, ulong arg = 0) => Fcntl.Invoke(_t, Args(I(fd), (ulong)cmd, arg));

    [Theory]
    [InlineData(F_GETFD)]
    [InlineData(F_GETFL)]
    [InlineData(F_DUPFD)]
    public void Invoke_FdNotOpen_ReturnsEbadf(int cmd)
    {
        Assert.Equal(Err(Errno.EBADF), F(7, cmd));
        Assert.Equal(Err(Errno.EBADF), F(-1, cmd));
    }

    [Fact]
    public void Dupfd_Minimum_GivesTheLowestFreeFdAtOrAboveIt()
    {
        _p.Files.Install(5, _p.Files.Get(0)!, false);

        Assert.Equal(3, F(1, F_DUPFD, 0));
        Assert.Equal(6, F(1, F_DUPFD, 5));
        Assert.Same(_p.Files.Get(1), _p.Files.Get(6));
        Assert.False(_p.Files.GetCloseOnExec(6));
    }

    [Fact]
    public void DupfdCloexec_SetsCloseOnExecOnTheNewFdOnly()
    {
        long fd = F(1, F_DUPFD_CLOEXEC, 10);

        Assert.Equal(10, fd);
        Assert.Equal(FD_CLOEXEC, F(10, F_GETFD));
        Assert.Equal(0, F(1, F_GETFD));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1024)] // RLIMIT_NOFILE's soft limit
    public void Dupfd_MinimumOutOfRange_ReturnsEinval(int min)
    {
        Assert.Equal(Err(Errno.EINVAL), F(1, F_DUPFD, I(min)));
    }

    [Fact]
    public void Dupfd_NoFreeFdBelowTheLimit_ReturnsEmfile()
    {
        _p.Limits.Set(ResourceLimits.RLIMIT_NOFILE, 4, 4);

        Assert.Equal(3, F(1, F_DUPFD, 0));
        Assert.Equal(Err(Errno.EMFILE), F(1, F_DUPFD, 0));
    }

    [Fact]
    public void Setfd_ThenGetfd_RoundTripsOnlyFdCloexec()
    {
        Assert.Equal(0, F(2, F_SETFD, 0xFF));
        Assert.Equal(FD_CLOEXEC, F(2, F_GETFD));

        Assert.Equal(0, F(2, F_SETFD, 0));
        Assert.Equal(0, F(2, F_GETFD));
    }

    [Fact]
    public void Setfl_ChangesOnlyTheSettableFlags()
    {
        OpenFile f = _p.Files.Get(1)!;
        Assert.Equal(OpenFlags.O_RDWR, F(1, F_GETFL));

        Assert.Equal(0, F(1, F_SETFL, (ulong)(OpenFlags.O_WRONLY | OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK
            | OpenFlags.O_CREAT | OpenFlags.O_TRUNC | OpenFlags.O_CLOEXEC | OpenFlags.O_DIRECTORY)));

        Assert.Equal(OpenFlags.O_RDWR | OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK, f.StatusFlags);
        Assert.Equal(0, F(1, F_SETFL, 0x2000 | 0x4000 | 0x40000)); // O_ASYNC, O_DIRECT, O_NOATIME
        Assert.Equal(OpenFlags.O_RDWR | 0x2000 | 0x4000 | 0x40000, F(1, F_GETFL));
    }

    [Fact]
    public void Setfl_OnADupedFd_IsSeenThroughTheOriginal()
    {
        long copy = F(1, F_DUPFD, 0);

        Assert.Equal(0, F((int)copy, F_SETFL, OpenFlags.O_NONBLOCK));

        Assert.Equal(OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK, F(1, F_GETFL));
    }

    [Fact]
    public void Invoke_UnknownCommand_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), F(1, 9999));
    }
}

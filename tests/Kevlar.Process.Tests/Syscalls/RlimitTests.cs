// RlimitTests: getrlimit(2), setrlimit(2), prlimit64(2) on the caller — the
// defaults, soft ≤ hard (EINVAL), raising a hard limit needs privilege
// (EPERM), bad resources and pointers.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.ResourceLimits;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class RlimitTests
{
    private const ulong New = Scratch, Old = Scratch + 0x100;
    private readonly ProcessHarness _k = new();

    private (ulong, ulong) ReadPair(UserProcess p, ulong at) => (GetUInt64(p, at), GetUInt64(p, at + 8));

    [Fact]
    public void Getrlimit_Nofile_ReturnsLinuxsDefaults()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(0, Rlimit.InvokeGetrlimit(p.MainThread, Args(RLIMIT_NOFILE, Old)));

        Assert.Equal((1024UL, 4096UL), ReadPair(p, Old));
    }

    [Fact]
    public void Getrlimit_Stack_IsEightMebibytesWithInfiniteHardLimit()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(0, Rlimit.InvokeGetrlimit(p.MainThread, Args(RLIMIT_STACK, Old)));

        Assert.Equal((8UL << 20, Infinity), ReadPair(p, Old));
    }

    [Fact]
    public void Setrlimit_SoftAboveHard_ReturnsEinvalAndKeepsTheLimit()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        PutUInt64(p, New, 200, 100);

        Assert.Equal(Err(Errno.EINVAL), Rlimit.InvokeSetrlimit(p.MainThread, Args(RLIMIT_NOFILE, New)));

        Assert.Equal((1024UL, 4096UL), (p.Limits.Soft(RLIMIT_NOFILE), p.Limits.Hard(RLIMIT_NOFILE)));
    }

    [Fact]
    public void Setrlimit_UnprivilegedLowersHardThenRaisesIt_SecondCallReturnsEperm()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        PutUInt64(p, New, 100, 2000);
        Assert.Equal(0, Rlimit.InvokeSetrlimit(p.MainThread, Args(RLIMIT_NOFILE, New)));

        PutUInt64(p, New, 100, 3000);
        Assert.Equal(Err(Errno.EPERM), Rlimit.InvokeSetrlimit(p.MainThread, Args(RLIMIT_NOFILE, New)));

        Assert.Equal((100UL, 2000UL), (p.Limits.Soft(RLIMIT_NOFILE), p.Limits.Hard(RLIMIT_NOFILE)));
    }

    [Fact]
    public void Setrlimit_RootRaisesHard_Succeeds()
    {
        UserProcess p = _k.NewProcess(uid: 0);
        PutUInt64(p, New, 4096, 65536);

        Assert.Equal(0, Rlimit.InvokeSetrlimit(p.MainThread, Args(RLIMIT_NOFILE, New)));

        Assert.Equal(65536UL, p.Limits.Hard(RLIMIT_NOFILE));
    }

    [Fact]
    public void Setrlimit_NofileAboveNrOpen_ReturnsEpermEvenForRoot()
    {
        UserProcess p = _k.NewProcess(uid: 0);
        PutUInt64(p, New, 1024, NrOpen + 1);

        Assert.Equal(Err(Errno.EPERM), Rlimit.InvokeSetrlimit(p.MainThread, Args(RLIMIT_NOFILE, New)));
    }

    [Fact]
    public void Setrlimit_UnprivilegedRaisesSoftUpToHard_Succeeds()
    {
        UserProcess p = _k.NewProcess(uid: 1000);
        PutUInt64(p, New, 4096, 4096);

        Assert.Equal(0, Rlimit.InvokeSetrlimit(p.MainThread, Args(RLIMIT_NOFILE, New)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(Count)]
    public void Getrlimit_UnknownResource_ReturnsEinval(int resource)
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.EINVAL), Rlimit.InvokeGetrlimit(p.MainThread, Args(I(resource), Old)));
    }

    [Fact]
    public void GetAndSetrlimit_BadPointer_ReturnEfault()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.EFAULT), Rlimit.InvokeGetrlimit(p.MainThread, Args(RLIMIT_NOFILE, 0x30_0000)));
        Assert.Equal(Err(Errno.EFAULT), Rlimit.InvokeSetrlimit(p.MainThread, Args(RLIMIT_NOFILE, 0x30_0000)));
    }

    [Fact]
    public void Prlimit64_NewAndOld_ReturnsTheLimitBeforeTheChange()
    {
        UserProcess p = _k.NewProcess();
        PutUInt64(p, New, 10, 20);

        Assert.Equal(0, Rlimit.InvokePrlimit64(p.MainThread, Args((ulong)p.Pid, RLIMIT_NOFILE, New, Old)));

        Assert.Equal((1024UL, 4096UL), ReadPair(p, Old));
        Assert.Equal((10UL, 20UL), (p.Limits.Soft(RLIMIT_NOFILE), p.Limits.Hard(RLIMIT_NOFILE)));
    }

    [Fact]
    public void Prlimit64_NoSuchPid_ReturnsEsrch()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.ESRCH), Rlimit.InvokePrlimit64(p.MainThread, Args(4242, RLIMIT_NOFILE, 0, Old)));
    }

    [Fact]
    public void Prlimit64_NegativePid_ReturnsEsrch()
    {
        UserProcess p = _k.NewProcess();

        Assert.Equal(Err(Errno.ESRCH), Rlimit.InvokePrlimit64(p.MainThread, Args(I(-1), RLIMIT_NOFILE, 0, Old)));
    }
}

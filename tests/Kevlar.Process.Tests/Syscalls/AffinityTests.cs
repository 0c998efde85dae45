// AffinityTests: sched_getaffinity(2), sched_setaffinity(2) and getcpu(2) over the
// scheduler's CPUs: a mask of longs, EINVAL for a mask naming no online CPU, the
// mask kept per thread, and a step that ends to move a thread off a CPU it left.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class AffinityTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new(cpus: 4);
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public AffinityTests()
    {
        _p = _k.NewProcess(cpu: 2);
        _t = _p.MainThread;
    }

    [Fact]
    public void Getaffinity_FourCpus_ReturnsEightBytesWithFourBits()
    {
        Assert.Equal(8, Affinity.Getaffinity(_t, Args(0, 128, Buf)));

        Assert.Equal(0x0FUL, GetUInt64(_p, Buf));
    }

    [Theory]
    [InlineData(4UL)]
    [InlineData(12UL)]
    public void Getaffinity_SizeTooSmallOrNotLongs_ReturnsEinval(ulong size)
    {
        Assert.Equal(Err(Errno.EINVAL), Affinity.Getaffinity(_t, Args(0, size, Buf)));
    }

    [Fact]
    public void Getaffinity_NoSuchPid_ReturnsEsrch()
    {
        Assert.Equal(Err(Errno.ESRCH), Affinity.Getaffinity(_t, Args(4242, 8, Buf)));
    }

    [Fact]
    public void Setaffinity_MaskWithoutAnOnlineCpu_ReturnsEinval()
    {
        PutUInt64(_p, Buf, 0xF0);
        Assert.Equal(Err(Errno.EINVAL), Affinity.Setaffinity(_t, Args(0, 8, Buf)));

        PutUInt64(_p, Buf, 0x1);
        Assert.Equal(0, Affinity.Setaffinity(_t, Args(0, 8, Buf)));
    }

    [Fact]
    public void Setaffinity_MaskWithoutTheHome_KeepsTheMaskAndEndsTheStepToMove()
    {
        PutUInt64(_p, Buf, 0x3);
        Assert.Equal(0, Affinity.Setaffinity(_t, Args(0, 8, Buf)));

        Assert.True(_t.YieldRequested);
        Assert.Equal(0, _t.FirstAllowedCpu());
        Assert.Equal(8, Affinity.Getaffinity(_t, Args(0, 8, Buf)));
        Assert.Equal(0x3UL, GetUInt64(_p, Buf));
    }

    [Fact]
    public void Setaffinity_MaskWithTheHome_StaysWithoutYielding()
    {
        PutUInt64(_p, Buf, 0x4 | 0x100);
        Assert.Equal(0, Affinity.Setaffinity(_t, Args(0, 8, Buf)));

        Assert.False(_t.YieldRequested);
        Assert.Equal(8, Affinity.Getaffinity(_t, Args(0, 8, Buf)));
        Assert.Equal(0x4UL, GetUInt64(_p, Buf)); // bits of CPUs that do not exist are dropped
    }

    [Fact]
    public void Getcpu_WritesTheHomeCpuAndNodeZero()
    {
        Assert.Equal(0, Affinity.Getcpu(_t, Args(Buf, Buf + 4)));

        Assert.Equal((2, 0), (GetInt32(_p, Buf), GetInt32(_p, Buf + 4)));
    }
}

// UsageTests: times(2), getrusage(2) and sysinfo(2) report the threads' CPU time
// (clock ticks at 100 Hz, timevals) and the machine's uptime and memory in Linux's layouts.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class UsageTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public UsageTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void Times_WritesTicksOfUserSystemAndChildrenAndReturnsTheClockInTicks()
    {
        _t.UserNanoseconds = 250_000_000;
        _t.SystemNanoseconds = 30_000_000;
        _p.ChildrenUserNanoseconds = 1_000_000_000;
        _k.Clock.MonotonicNanoseconds = 5_000_000_000;

        Assert.Equal(500, Usage.Times(_t, Args(Buf)));

        Assert.Equal(new ulong[] { 25, 3, 100, 0 }, Enumerable.Range(0, 4).Select(i => GetUInt64(_p, Buf + (ulong)i * 8)));
    }

    [Fact]
    public void Getrusage_SelfAndChildren_WriteTimevalsAndUnknownWhoIsEinval()
    {
        _t.UserNanoseconds = 1_000_002_000;
        _p.ChildrenSystemNanoseconds = 3_000_000;

        Assert.Equal(0, Usage.Getrusage(_t, Args(0, Buf)));
        Assert.Equal((1UL, 2UL), (GetUInt64(_p, Buf), GetUInt64(_p, Buf + 8)));
        Assert.Equal(0, Usage.Getrusage(_t, Args(I(-1), Buf)));
        Assert.Equal((0UL, 3000UL), (GetUInt64(_p, Buf + 16), GetUInt64(_p, Buf + 24)));
        Assert.Equal(Err(Errno.EINVAL), Usage.Getrusage(_t, Args(5, Buf)));
    }

    [Fact]
    public void Sysinfo_WritesUptimeMemoryAndProcessCount()
    {
        _k.Clock.MonotonicNanoseconds = 42_500_000_000;

        Assert.Equal(0, Usage.Sysinfo(_t, Args(Buf)));

        Assert.Equal(42UL, GetUInt64(_p, Buf));
        Assert.Equal((_k.MemoryInfo.TotalBytes, _k.MemoryInfo.FreeBytes), (GetUInt64(_p, Buf + 32), GetUInt64(_p, Buf + 40)));
        Assert.Equal(2, GetInt32(_p, Buf + 80) & 0xFFFF); // init and this process
        Assert.Equal(1, GetInt32(_p, Buf + 104));        // mem_unit
    }
}

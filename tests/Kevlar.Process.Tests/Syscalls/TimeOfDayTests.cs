// TimeOfDayTests: gettimeofday(2) and time(2) give the wall clock in seconds and microseconds.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class TimeOfDayTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public TimeOfDayTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void Gettimeofday_WritesSecondsAndMicroseconds()
    {
        _k.Clock.MonotonicNanoseconds = 2_123_456_789;

        Assert.Equal(0, TimeOfDay.Gettimeofday(_t, Args(Buf, 0)));

        Assert.Equal((1_700_000_002UL, 123_456UL), (GetUInt64(_p, Buf), GetUInt64(_p, Buf + 8)));
        Assert.Equal(1_700_000_002L, TimeOfDay.Time(_t, Args(0)));
    }
}

// ClockGettimeTests: clock_gettime(2) serves CLOCK_REALTIME (RTC at boot plus the
// monotonic clock) and CLOCK_MONOTONIC as timespecs; EINVAL for a clock it does not keep.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class ClockGettimeTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public ClockGettimeTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void ClockGettime_RealtimeAndMonotonic_FollowTheClock()
    {
        _k.Clock.MonotonicNanoseconds = 3_000_000_007;

        Assert.Equal(0, ClockGettime.Invoke(_t, Args(ClockGettime.CLOCK_MONOTONIC, Buf)));
        Assert.Equal((3UL, 7UL), (GetUInt64(_p, Buf), GetUInt64(_p, Buf + 8)));
        Assert.Equal(0, ClockGettime.Invoke(_t, Args(ClockGettime.CLOCK_REALTIME, Buf)));
        Assert.Equal(1_700_000_003UL, GetUInt64(_p, Buf));
    }

    [Fact]
    public void ClockGettime_UnknownClockOrBadPointer_Fails()
    {
        Assert.Equal(Err(Errno.EINVAL), ClockGettime.Invoke(_t, Args(99, Buf)));
        Assert.Equal(Err(Errno.EFAULT), ClockGettime.Invoke(_t, Args(ClockGettime.CLOCK_MONOTONIC, 0x30_0000)));
    }
}

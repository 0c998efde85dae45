// RobustTests: set_tid_address(2), set_robust_list(2) and get_robust_list(2) keep
// their addresses per thread; a robust list head is 24 bytes (EINVAL otherwise).
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class RobustTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public RobustTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void SetTidAddressAndRobustList_AreRememberedPerThread()
    {
        Assert.Equal(_t.Tid, SetTidAddress.Invoke(_t, Args(Scratch)));
        Assert.Equal(0, Robust.InvokeSet(_t, Args(Scratch + 8, Robust.HeadSize)));
        Assert.Equal(Err(Errno.EINVAL), Robust.InvokeSet(_t, Args(Scratch + 8, 16)));

        Assert.Equal(0, Robust.InvokeGet(_t, Args(0, Buf, Buf + 8)));

        Assert.Equal((Scratch, Scratch + 8, 24UL), (_t.ClearChildTid, GetUInt64(_p, Buf), GetUInt64(_p, Buf + 8)));
        Assert.Equal(Err(Errno.ESRCH), Robust.InvokeGet(_t, Args(4242, Buf, Buf + 8)));
    }
}

// UmaskTests: umask(2) returns the old mask and keeps the low nine bits.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class UmaskTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public UmaskTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void Umask_ReturnsTheOldMaskAndKeepsNineBits()
    {
        Assert.Equal(0x12, Umask.Invoke(_t, Args(0xFFFF)));

        Assert.Equal(0x1FF, Umask.Invoke(_t, Args(0x3F)));
    }
}

// ArchPrctlTests: arch_prctl(2) sets and reads the FS/GS bases; a
// non-canonical base is EPERM, an unknown code EINVAL, a bad pointer EFAULT.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Syscalls.ArchPrctl;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class ArchPrctlTests
{
    private readonly ProcessHarness _k = new();
    private readonly UserThread _t;

    public ArchPrctlTests()
    {
        _t = _k.NewProcess().MainThread;
    }

    [Fact]
    public void SetFsThenGetFs_RoundTripsThroughUserMemory()
    {
        Assert.Equal(0, ArchPrctl.Invoke(_t, Args(ARCH_SET_FS, 0x7F00_1234_5000)));
        Assert.Equal(0x7F00_1234_5000UL, _t.Registers.FsBase);

        Assert.Equal(0, ArchPrctl.Invoke(_t, Args(ARCH_GET_FS, Scratch)));
        Assert.Equal(0x7F00_1234_5000UL, GetUInt64(_t.Process, Scratch));
    }

    [Fact]
    public void SetGsThenGetGs_RoundTrips()
    {
        Assert.Equal(0, ArchPrctl.Invoke(_t, Args(ARCH_SET_GS, 0x1000)));

        Assert.Equal(0, ArchPrctl.Invoke(_t, Args(ARCH_GET_GS, Scratch + 8)));
        Assert.Equal(0x1000UL, GetUInt64(_t.Process, Scratch + 8));
        Assert.Equal(0UL, _t.Registers.FsBase);
    }

    [Theory]
    [InlineData(ARCH_SET_FS)]
    [InlineData(ARCH_SET_GS)]
    public void Set_AddressOutsideTheUserHalf_ReturnsEpermAndKeepsTheBase(int code)
    {
        Assert.Equal(Err(Errno.EPERM), ArchPrctl.Invoke(_t, Args((ulong)code, 0xFFFF_8000_0000_0000)));
        Assert.Equal(Err(Errno.EPERM), ArchPrctl.Invoke(_t, Args((ulong)code, 0x0000_8000_0000_0000)));

        Assert.Equal(0UL, _t.Registers.FsBase);
        Assert.Equal(0UL, _t.Registers.GsBase);
    }

    [Fact]
    public void GetFs_BadPointer_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), ArchPrctl.Invoke(_t, Args(ARCH_GET_FS, 0x30_0000)));
    }

    [Fact]
    public void UnknownCode_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), ArchPrctl.Invoke(_t, Args(0x1005, Scratch)));
        Assert.Equal(Err(Errno.EINVAL), ArchPrctl.Invoke(_t, Args(0, Scratch)));
    }
}

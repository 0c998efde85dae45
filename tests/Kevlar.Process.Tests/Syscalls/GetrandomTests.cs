// GetrandomTests: getrandom(2) fills the buffer; EINVAL for unknown flags, EFAULT for a bad buffer.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class GetrandomTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public GetrandomTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void Getrandom_Sixteen_FillsTheBufferAndReturnsSixteen()
    {
        Assert.Equal(16, Getrandom.Invoke(_t, Args(Buf, 16, 0)));

        Assert.NotEqual(new byte[16], Get(_p, Buf, 16));
        Assert.Equal(new byte[16], Get(_p, Buf + 16, 16));
    }

    [Fact]
    public void Getrandom_UnknownFlagOrBadBuffer_Fails()
    {
        Assert.Equal(Err(Errno.EINVAL), Getrandom.Invoke(_t, Args(Buf, 16, 8)));
        Assert.Equal(Err(Errno.EFAULT), Getrandom.Invoke(_t, Args(0x30_0000, 16, 0)));
    }

    [Fact]
    public void Getrandom_InsecureAndRandomTogether_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Getrandom.Invoke(_t, Args(Buf, 16, 4 | 2)));
    }
}

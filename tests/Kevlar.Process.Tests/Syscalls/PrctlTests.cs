// PrctlTests: prctl(2) thread names (15 bytes and a NUL) and the dumpable flag;
// EINVAL for an option it does not know.
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class PrctlTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public PrctlTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void PrctlName_SetThenGet_KeepsFifteenBytesAndANul()
    {
        PutString(_p, Scratch, "a-very-long-thread-name");

        Assert.Equal(0, Prctl.Invoke(_t, Args(Prctl.PR_SET_NAME, Scratch)));
        Assert.Equal(0, Prctl.Invoke(_t, Args(Prctl.PR_GET_NAME, Buf)));

        Assert.Equal("a-very-long-thr\0", GetString(_p, Buf, 16));
    }

    [Fact]
    public void Prctl_DumpableAndUnknownOption_FollowLinux()
    {
        Assert.Equal(1, Prctl.Invoke(_t, Args(Prctl.PR_GET_DUMPABLE)));
        Assert.Equal(0, Prctl.Invoke(_t, Args(Prctl.PR_SET_DUMPABLE, 0)));
        Assert.Equal(0, Prctl.Invoke(_t, Args(Prctl.PR_GET_DUMPABLE)));
        Assert.Equal(Err(Errno.EINVAL), Prctl.Invoke(_t, Args(Prctl.PR_SET_DUMPABLE, 2)));
        Assert.Equal(Err(Errno.EINVAL), Prctl.Invoke(_t, Args(9999)));
    }
}

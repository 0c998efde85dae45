// IoctlTests: ioctl(2) reaches the open file: the console answers TCGETS with the
// kernel's struct termios; others say ENOTTY.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class IoctlTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public IoctlTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void IoctlTcgets_OnTheConsole_WritesTheKernelTermios()
    {
        Assert.Equal(0, _k.Call(_t, () => Ioctl.InvokeAsync(_t, Args(1, ConsoleFile.TCGETS, Buf))));

        byte[] t = Get(_p, Buf, 36);
        Assert.Equal((0x500, 0x5, 0x4BF, 0x8A3B), (BitConverter.ToInt32(t, 0), BitConverter.ToInt32(t, 4), BitConverter.ToInt32(t, 8), BitConverter.ToInt32(t, 12)));
        Assert.Equal((3, 0x7F, 4, 1), (t[17 + 0], t[17 + 2], t[17 + 4], t[17 + 6])); // VINTR VERASE VEOF VMIN
    }

    [Fact]
    public void Ioctl_NotATtyOrBadFd_FollowsLinux()
    {
        ulong path = PutString(_p, Scratch, "/dev/null");
        long fd = _k.Call(_t, () => Open.Do(_t, PathLookup.AT_FDCWD, path, OpenFlags.O_RDONLY, 0));
        Assert.IsType<DeviceFile>(_p.Files.Get((int)fd));

        Assert.Equal(Err(Errno.ENOTTY), _k.Call(_t, () => Ioctl.InvokeAsync(_t, Args((ulong)fd, ConsoleFile.TCGETS, Buf))));
        Assert.Equal(Err(Errno.EBADF), _k.Call(_t, () => Ioctl.InvokeAsync(_t, Args(42, ConsoleFile.TCGETS, Buf))));
        Assert.Equal(Err(Errno.EFAULT), _k.Call(_t, () => Ioctl.InvokeAsync(_t, Args(1, ConsoleFile.TIOCGWINSZ, 0x30_0000))));
    }
}

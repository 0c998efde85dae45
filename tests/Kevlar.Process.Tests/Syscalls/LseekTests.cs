// LseekTests: lseek(2) moves a file's offset; EINVAL for a bad whence or a negative
// result, ESPIPE for the console, EBADF for a closed fd.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class LseekTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public LseekTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    [Fact]
    public void Lseek_FileDeviceAndBadInput_FollowLinux()
    {
        long fd = Open.Do(_p, PathLookup.AT_FDCWD, PutString(_p, Scratch, "/etc/passwd"), OpenFlags.O_RDONLY);

        Assert.Equal(SampleInitramfs.Passwd.Length - 2, Lseek.Invoke(_t, Args((ulong)fd, I(-2), Lseek.SEEK_END)));
        Assert.Equal(Err(Errno.EINVAL), Lseek.Invoke(_t, Args((ulong)fd, I(-100), Lseek.SEEK_SET)));
        Assert.Equal(Err(Errno.EINVAL), Lseek.Invoke(_t, Args((ulong)fd, 0, 7)));
        Assert.Equal(Err(Errno.ESPIPE), Lseek.Invoke(_t, Args(1, 0, Lseek.SEEK_SET)));
        Assert.Equal(Err(Errno.EBADF), Lseek.Invoke(_t, Args(42, 0, Lseek.SEEK_SET)));
    }
}

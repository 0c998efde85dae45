// ReadlinkTests: readlink(2) — a link's target, not NUL-terminated, cut to the
// buffer; /proc/self/exe names the running program; EINVAL for a non-link or
// a size ≤ 0.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class ReadlinkTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public ReadlinkTests()
    {
        _p = _k.NewProcess();
        _p.ExecutablePath = "/bin/busybox";
        Put(_p, Buf, Enumerable.Repeat((byte)'#', 64).ToArray());
    }

    private long Read(string path, long size) => ReadAt(PathLookup.AT_FDCWD, path, Buf, size);

    private long ReadAt(int dirfd, string path, ulong buffer, long size)
    {
        ulong at = PutString(_p, Scratch, path);
        return _k.Call(_p, t => Readlink.Do(t, dirfd, at, buffer, size));
    }

    [Fact]
    public void Do_ProcSelfExe_ReturnsTheProgramWithoutANul()
    {
        Assert.Equal(12, Read("/proc/self/exe", 64));

        Assert.Equal("/bin/busybox#", GetString(_p, Buf, 13));
    }

    [Fact]
    public void Do_ProcOwnPidExe_ReturnsTheProgram()
    {
        Assert.Equal(12, Read("/proc/" + _p.Pid + "/exe", 64));
    }

    [Fact]
    public void Do_Symlink_ReturnsItsTarget()
    {
        Assert.Equal(7, Read("/bin/sh", 64));

        Assert.Equal("busybox#", GetString(_p, Buf, 8));
    }

    [Fact]
    public void Do_SmallBuffer_TruncatesToIt()
    {
        Assert.Equal(4, Read("/etc/motd", 4));

        Assert.Equal("/etc#", GetString(_p, Buf, 5));
    }

    [Fact]
    public void Do_NotALink_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), Read("/etc/passwd", 64));
        Assert.Equal(Err(Errno.EINVAL), Read("/dir", 64));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Do_SizeNotPositive_ReturnsEinval(long size)
    {
        Assert.Equal(Err(Errno.EINVAL), Read("/bin/sh", size));
    }

    [Fact]
    public void Do_Missing_ReturnsEnoent()
    {
        Assert.Equal(Err(Errno.ENOENT), Read("/bin/nothing", 64));
    }

    [Fact]
    public void Do_BufferUnmapped_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), ReadAt(PathLookup.AT_FDCWD, "/bin/sh", 0x30_0000, 64));
    }

    [Fact]
    public void InvokeReadlink_FromRegisters_ReadsTheLink()
    {
        PutString(_p, Scratch, "/proc/self/exe");

        Assert.Equal(12, _k.Call(_p, t => Readlink.InvokeReadlink(t, Args(Scratch, Buf, 64))));
    }

    [Fact]
    public void InvokeReadlinkat_RelativeToADirectoryFd_ReadsTheLinkThere()
    {
        PutString(_p, Scratch + 0x100, "/bin");
        long dir = _k.Call(_p, t => Open.Do(t, PathLookup.AT_FDCWD, Scratch + 0x100, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0));
        PutString(_p, Scratch, "sh");

        Assert.Equal(7, _k.Call(_p, t => Readlink.InvokeReadlinkat(t, Args((ulong)dir, Scratch, Buf, 64))));

        Assert.Equal("busybox", GetString(_p, Buf, 7));
    }

    [Fact]
    public void Do_DevStdout_ReturnsItsProcTarget()
    {
        Assert.Equal("/proc/self/fd/1".Length, Read("/dev/stdout", 64));

        Assert.Equal("/proc/self/fd/1", GetString(_p, Buf, 15));
    }
}

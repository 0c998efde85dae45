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

    private long OpenPath(string path, int flags = OpenFlags.O_RDONLY)
    {
        ulong at = PutString(_p, Scratch, path);
        long fd = _k.Call(_p, t => Open.Do(t, PathLookup.AT_FDCWD, at, flags, 0));
        Assert.True(fd >= 0, path + ": " + fd);
        return fd;
    }

    private long Seek(long fd, long offset, int whence) => _k.Call(_t, () => Lseek.Invoke(_t, Args((ulong)fd, (ulong)offset, I(whence))));

    private long Read(long fd, ulong count) => _k.Call(_t, () => ReadWrite.DoRead(_t, (int)fd, Buf, count));

    [Fact]
    public void Lseek_FileDeviceAndBadInput_FollowLinux()
    {
        long fd = OpenPath("/etc/passwd");

        Assert.Equal(SampleInitramfs.Passwd.Length - 2, Seek(fd, -2, Lseek.SEEK_END));
        Assert.Equal(Err(Errno.EINVAL), Seek(fd, -100, Lseek.SEEK_SET));
        Assert.Equal(Err(Errno.EINVAL), Seek(fd, 0, 7));
        Assert.Equal(Err(Errno.ESPIPE), Seek(1, 0, Lseek.SEEK_SET));
        Assert.Equal(Err(Errno.EBADF), Seek(42, 0, Lseek.SEEK_SET));
    }

    [Fact]
    public void Lseek_ThenRead_ReadsFromTheNewOffset()
    {
        long fd = OpenPath("/etc/passwd");

        Assert.Equal(5, Seek(fd, 5, Lseek.SEEK_SET));
        Assert.Equal(3, Read(fd, 3));
        Assert.Equal(SampleInitramfs.Passwd.Substring(5, 3), GetString(_p, Buf, 3));
        Assert.Equal(10, Seek(fd, 2, Lseek.SEEK_CUR));
        Assert.Equal(Err(Errno.EINVAL), Seek(fd, -11, Lseek.SEEK_CUR));
        Assert.Equal(10, Seek(fd, 0, Lseek.SEEK_CUR)); // a failed seek leaves the offset
    }

    [Fact]
    public void Lseek_PastTheEnd_IsAllowedAndReadsNothing()
    {
        long fd = OpenPath("/etc/passwd");

        Assert.Equal(1000, Seek(fd, 1000, Lseek.SEEK_SET));
        Assert.Equal(0, Read(fd, 16));
    }

    [Fact]
    public void Lseek_DataAndHole_FollowTmpfs()
    {
        long fd = OpenPath("/etc/passwd");
        int size = SampleInitramfs.Passwd.Length;

        Assert.Equal(3, Seek(fd, 3, Lseek.SEEK_DATA));
        Assert.Equal(size, Seek(fd, 3, Lseek.SEEK_HOLE));
        Assert.Equal(Err(Errno.ENXIO), Seek(fd, size, Lseek.SEEK_DATA));
        Assert.Equal(Err(Errno.ENXIO), Seek(fd, size, Lseek.SEEK_HOLE));
    }

    [Fact]
    public void Lseek_OPathFd_ReturnsEbadf()
    {
        long fd = OpenPath("/etc/passwd", OpenFlags.O_PATH);

        Assert.Equal(Err(Errno.EBADF), Seek(fd, 0, Lseek.SEEK_SET));
    }

    [Fact]
    public void Lseek_DevNull_SucceedsAndChangesNothing()
    {
        long fd = OpenPath("/dev/null");

        Assert.Equal(0, Seek(fd, 100, Lseek.SEEK_SET));
    }
}

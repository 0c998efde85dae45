// ReadWriteTests: read(2)/write(2)/readv(2) through the fd table and the
// checked user copies, with Linux's errno for each bad input.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class ReadWriteTests
{
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public ReadWriteTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private int OpenPath(string path, int flags)
    {
        PutString(_p, Scratch + 0x8000, path);
        long fd = Open.Do(_p, PathLookup.AT_FDCWD, Scratch + 0x8000, flags);
        Assert.True(fd >= 0, path + ": " + fd);
        return (int)fd;
    }

    [Fact]
    public void DoWrite_ToTheConsole_WritesEveryByte()
    {
        PutString(_p, Scratch, "hello\n");

        Assert.Equal(6, ReadWrite.DoWrite(_t, 1, Scratch, 6).Result);

        Assert.Equal("hello\n", _k.Console.Text);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(100000)]
    public void DoWrite_FdNotOpen_ReturnsEbadf(int fd)
    {
        Assert.Equal(Err(Errno.EBADF), ReadWrite.DoWrite(_t, fd, Scratch, 1).Result);
    }

    [Fact]
    public void DoWrite_ReadOnlyFd_ReturnsEbadf()
    {
        int fd = OpenPath("/etc/passwd", OpenFlags.O_RDONLY);

        Assert.Equal(Err(Errno.EBADF), ReadWrite.DoWrite(_t, fd, Scratch, 1).Result);
    }

    [Fact]
    public void DoWrite_UnmappedBuffer_ReturnsEfaultAndWritesNothing()
    {
        Assert.Equal(Err(Errno.EFAULT), ReadWrite.DoWrite(_t, 1, 0x30_0000, 10).Result);
        Assert.Equal(Err(Errno.EFAULT), ReadWrite.DoWrite(_t, 1, ulong.MaxValue - 4, 10).Result);

        Assert.Empty(_k.Console.Bytes);
    }

    [Fact]
    public void DoWrite_ZeroCount_ReturnsZeroWhateverTheBuffer()
    {
        Assert.Equal(0, ReadWrite.DoWrite(_t, 1, 0, 0).Result);
    }

    [Fact]
    public void DoWrite_BufferEndsInUnmappedMemory_ReturnsTheBytesBeforeIt()
    {
        ulong last = Scratch + ScratchSize - 4096;

        Assert.Equal(4096, ReadWrite.DoWrite(_t, 1, last, 8192).Result);
        Assert.Equal(4096, _k.Console.Bytes.Length);
    }

    [Fact]
    public void DoRead_FromAFile_CopiesItsBytesAndAdvances()
    {
        int fd = OpenPath("/etc/passwd", OpenFlags.O_RDONLY);

        Assert.Equal(5, ReadWrite.DoRead(_t, fd, Scratch, 5).Result);
        Assert.Equal(SampleInitramfs.Passwd.Length - 5, ReadWrite.DoRead(_t, fd, Scratch + 5, 4096).Result);
        Assert.Equal(0, ReadWrite.DoRead(_t, fd, Scratch, 4096).Result);

        Assert.Equal(SampleInitramfs.Passwd, GetString(_p, Scratch, SampleInitramfs.Passwd.Length));
    }

    [Fact]
    public void DoRead_IntoReadOnlyMemory_ReturnsEfault()
    {
        Map(_p, 0x2000_0000, 0x1000, PageProtection.Read);
        int fd = OpenPath("/dev/zero", OpenFlags.O_RDONLY);

        Assert.Equal(Err(Errno.EFAULT), ReadWrite.DoRead(_t, fd, 0x2000_0000, 16).Result);
    }

    [Fact]
    public void DoRead_WriteOnlyFd_ReturnsEbadf()
    {
        int fd = OpenPath("/dev/null", OpenFlags.O_WRONLY);

        Assert.Equal(Err(Errno.EBADF), ReadWrite.DoRead(_t, fd, Scratch, 16).Result);
    }

    [Fact]
    public void DoRead_DirectoryFd_ReturnsEisdir()
    {
        int fd = OpenPath("/dir", OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);

        Assert.Equal(Err(Errno.EISDIR), ReadWrite.DoRead(_t, fd, Scratch, 16).Result);
    }

    [Fact]
    public void Writev_TwoBuffers_WritesThemInOrder()
    {
        PutString(_p, Scratch + 0x100, "ab");
        PutString(_p, Scratch + 0x200, "cde");
        PutUInt64(_p, Scratch, Scratch + 0x100, 2, Scratch + 0x200, 3);

        Assert.Equal(5, ReadWrite.Writev(_t, Args(1, Scratch, 2)).Result);

        Assert.Equal("abcde", _k.Console.Text);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1025)]
    public void Writev_IovecCountOutOfRange_ReturnsEinval(int count)
    {
        Assert.Equal(Err(Errno.EINVAL), ReadWrite.Writev(_t, Args(1, Scratch, I(count))).Result);
    }

    [Fact]
    public void Writev_IovecArrayUnmapped_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), ReadWrite.Writev(_t, Args(1, 0x30_0000, 1)).Result);
    }

    [Fact]
    public void Readv_BadFd_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), ReadWrite.Readv(_t, Args(9, Scratch, 1)).Result);
    }
}

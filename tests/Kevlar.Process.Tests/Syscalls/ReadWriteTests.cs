// ReadWriteTests: read(2)/write(2)/readv(2) through the fd table and the
// checked user copies (files on the tmpfs root through the VfsActor, from
// its CPU or another), with Linux's errno for each bad input.
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
        long fd = _k.Call(_t, () => Open.Do(_t, PathLookup.AT_FDCWD, Scratch + 0x8000, flags, 0));
        Assert.True(fd >= 0, path + ": " + fd);
        return (int)fd;
    }

    [Fact]
    public void DoWrite_ToTheConsole_WritesEveryByte()
    {
        PutString(_p, Scratch, "hello\n");

        Assert.Equal(6, _k.Call(_t, () => ReadWrite.DoWrite(_t, 1, Scratch, 6)));

        Assert.Equal("hello\r\n", _k.Console.Text);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(100000)]
    public void DoWrite_FdNotOpen_ReturnsEbadf(int fd)
    {
        Assert.Equal(Err(Errno.EBADF), _k.Call(_t, () => ReadWrite.DoWrite(_t, fd, Scratch, 1)));
    }

    [Fact]
    public void DoWrite_ReadOnlyFd_ReturnsEbadf()
    {
        int fd = OpenPath("/etc/passwd", OpenFlags.O_RDONLY);

        Assert.Equal(Err(Errno.EBADF), _k.Call(_t, () => ReadWrite.DoWrite(_t, fd, Scratch, 1)));
    }

    [Fact]
    public void DoWrite_UnmappedBuffer_ReturnsEfaultAndWritesNothing()
    {
        Assert.Equal(Err(Errno.EFAULT), _k.Call(_t, () => ReadWrite.DoWrite(_t, 1, 0x30_0000, 10)));
        Assert.Equal(Err(Errno.EFAULT), _k.Call(_t, () => ReadWrite.DoWrite(_t, 1, ulong.MaxValue - 4, 10)));

        Assert.Empty(_k.Console.Bytes);
    }

    [Fact]
    public void DoWrite_ZeroCount_ReturnsZeroWhateverTheBuffer()
    {
        Assert.Equal(0, _k.Call(_t, () => ReadWrite.DoWrite(_t, 1, 0, 0)));
    }

    [Fact]
    public void DoWrite_BufferEndsInUnmappedMemory_ReturnsTheBytesBeforeIt()
    {
        ulong last = Scratch + ScratchSize - 4096;

        Assert.Equal(4096, _k.Call(_t, () => ReadWrite.DoWrite(_t, 1, last, 8192)));
        Assert.Equal(4096, _k.Console.Bytes.Length);
    }

    [Fact]
    public void DoRead_FromAFile_CopiesItsBytesAndAdvances()
    {
        int fd = OpenPath("/etc/passwd", OpenFlags.O_RDONLY);

        Assert.Equal(5, _k.Call(_t, () => ReadWrite.DoRead(_t, fd, Scratch, 5)));
        Assert.Equal(SampleInitramfs.Passwd.Length - 5, _k.Call(_t, () => ReadWrite.DoRead(_t, fd, Scratch + 5, 4096)));
        Assert.Equal(0, _k.Call(_t, () => ReadWrite.DoRead(_t, fd, Scratch, 4096)));

        Assert.Equal(SampleInitramfs.Passwd, GetString(_p, Scratch, SampleInitramfs.Passwd.Length));
    }

    [Fact]
    public void DoRead_IntoReadOnlyMemory_ReturnsEfault()
    {
        Map(_p, 0x2000_0000, 0x1000, PageProtection.Read);
        int fd = OpenPath("/dev/zero", OpenFlags.O_RDONLY);

        Assert.Equal(Err(Errno.EFAULT), _k.Call(_t, () => ReadWrite.DoRead(_t, fd, 0x2000_0000, 16)));
    }

    [Fact]
    public void DoRead_WriteOnlyFd_ReturnsEbadf()
    {
        int fd = OpenPath("/dev/null", OpenFlags.O_WRONLY);

        Assert.Equal(Err(Errno.EBADF), _k.Call(_t, () => ReadWrite.DoRead(_t, fd, Scratch, 16)));
    }

    [Fact]
    public void DoRead_DirectoryFd_ReturnsEisdir()
    {
        int fd = OpenPath("/dir", OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);

        Assert.Equal(Err(Errno.EISDIR), _k.Call(_t, () => ReadWrite.DoRead(_t, fd, Scratch, 16)));
    }

    [Fact]
    public void Writev_TwoBuffers_WritesThemInOrder()
    {
        PutString(_p, Scratch + 0x100, "ab");
        PutString(_p, Scratch + 0x200, "cde");
        PutUInt64(_p, Scratch, Scratch + 0x100, 2, Scratch + 0x200, 3);

        Assert.Equal(5, _k.Call(_t, () => ReadWrite.Writev(_t, Args(1, Scratch, 2))));

        Assert.Equal("abcde", _k.Console.Text);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1025)]
    public void Writev_IovecCountOutOfRange_ReturnsEinval(int count)
    {
        Assert.Equal(Err(Errno.EINVAL), _k.Call(_t, () => ReadWrite.Writev(_t, Args(1, Scratch, I(count)))));
    }

    [Fact]
    public void Writev_IovecArrayUnmapped_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), _k.Call(_t, () => ReadWrite.Writev(_t, Args(1, 0x30_0000, 1))));
    }

    [Fact]
    public void Readv_BadFd_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), _k.Call(_t, () => ReadWrite.Readv(_t, Args(9, Scratch, 1))));
    }

    private string FileText(string path)
    {
        var file = (Kevlar.Vfs.Inodes.RegularInode)_k.Lookup(path).Inode;
        var bytes = new byte[file.Size];
        file.Read(0, bytes);
        return System.Text.Encoding.Latin1.GetString(bytes);
    }

    [Fact]
    public void DoWrite_ToAFile_OverwritesFromTheOffsetAndAdvances()
    {
        int fd = OpenPath("/etc/passwd", OpenFlags.O_RDWR);
        PutString(_p, Scratch, "ROOT");

        Assert.Equal(4, _k.Call(_t, () => ReadWrite.DoWrite(_t, fd, Scratch, 4)));
        Assert.Equal(1, _k.Call(_t, () => ReadWrite.DoRead(_t, fd, Scratch + 0x100, 1)));

        Assert.Equal(":", GetString(_p, Scratch + 0x100, 1));
        Assert.Equal("ROOT" + SampleInitramfs.Passwd.Substring(4), FileText("/etc/passwd"));
    }

    [Fact]
    public void DoWrite_Append_GoesToTheEndWhateverTheOffset()
    {
        int fd = OpenPath("/dir/a", OpenFlags.O_WRONLY | OpenFlags.O_APPEND);
        PutString(_p, Scratch, "xyz");

        Assert.Equal(2, _k.Call(_t, () => ReadWrite.DoWrite(_t, fd, Scratch, 2)));
        Assert.Equal(0, _k.Call(_t, () => Lseek.Invoke(_t, Args((ulong)fd, 0, Lseek.SEEK_SET))));
        Assert.Equal(1, _k.Call(_t, () => ReadWrite.DoWrite(_t, fd, Scratch + 2, 1)));

        Assert.Equal("Axyz", FileText("/dir/a"));
    }

    [Fact]
    public void DoWrite_NewFile_ReadsBackThroughAnotherFd()
    {
        int w = OpenPath("/dir/new", OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL);
        PutString(_p, Scratch, "hello, tmpfs");
        Assert.Equal(12, _k.Call(_t, () => ReadWrite.DoWrite(_t, w, Scratch, 12)));
        int r = OpenPath("/dir/new", OpenFlags.O_RDONLY);

        Assert.Equal(12, _k.Call(_t, () => ReadWrite.DoRead(_t, r, Scratch + 0x100, 100)));

        Assert.Equal("hello, tmpfs", GetString(_p, Scratch + 0x100, 12));
    }

    [Fact]
    public void DoRead_FromAThreadOnAnotherCpu_CompletesAfterTheRoundTrips()
    {
        UserProcess p = _k.NewProcess(cpu: 1);
        PutString(p, Scratch + 0x8000, "/etc/passwd");
        long fd = _k.Call(p, t => Open.Do(t, PathLookup.AT_FDCWD, Scratch + 0x8000, OpenFlags.O_RDONLY, 0));

        var task = _k.Start(p.MainThread, () => ReadWrite.DoRead(p.MainThread, (int)fd, Scratch, 4096));

        Assert.False(task.IsCompleted);
        _k.Run();
        Assert.Equal(SampleInitramfs.Passwd.Length, task.Result);
        Assert.Equal(SampleInitramfs.Passwd, GetString(p, Scratch, SampleInitramfs.Passwd.Length));
    }

    [Fact]
    public void DoWrite_DevFull_ReturnsEnospc()
    {
        int fd = OpenPath("/dev/full", OpenFlags.O_WRONLY);

        Assert.Equal(Err(Errno.ENOSPC), _k.Call(_t, () => ReadWrite.DoWrite(_t, fd, Scratch, 1)));
    }
}

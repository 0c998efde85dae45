// StatTests: stat(2), lstat(2), newfstatat(2) write Linux's struct stat
// (x86_64, 144 bytes: st_ino at 8, st_nlink 16, st_mode 24, st_rdev 40,
// st_size 48) and give Linux's errno for bad input.
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Files.PathLookup;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class StatTests
{
    private const ulong Path = Scratch, Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;

    public StatTests()
    {
        _p = _k.NewProcess();
    }

    private long StatAt(int dirfd, string path, int flags) => StatRaw(dirfd, PutString(_p, Path, path), Buf, flags);

    private long StatRaw(int dirfd, ulong path, ulong buffer, int flags) => _k.Call(_p, t => Stat.Do(t, dirfd, path, buffer, flags));

    private long Fstat(int fd, ulong buffer) => _k.Call(_p, t => Kevlar.Process.Syscalls.Fstat.Invoke(t, Args(I(fd), buffer)));

    private long OpenPath(string path, int flags = OpenFlags.O_RDONLY)
    {
        ulong at = PutString(_p, Path, path);
        long fd = _k.Call(_p, t => Open.Do(t, AT_FDCWD, at, flags, 0));
        Assert.True(fd >= 0, path + ": " + fd);
        return fd;
    }

    private uint Mode => (uint)GetInt32(_p, Buf + 24);

    private long Size => (long)GetUInt64(_p, Buf + 48);

    [Fact]
    public void Do_RegularFile_WritesModeSizeInodeAndLinks()
    {
        Assert.Equal(0, StatAt(AT_FDCWD, "/etc/passwd", 0));

        Assert.Equal(SampleInitramfs.File644, Mode);
        Assert.Equal(SampleInitramfs.Passwd.Length, Size);
        Assert.NotEqual(0UL, GetUInt64(_p, Buf + 8));
        Assert.Equal(1UL, GetUInt64(_p, Buf + 16));
        Assert.Equal(4096UL, GetUInt64(_p, Buf + 56));
    }

    [Fact]
    public void Do_Directory_CountsItsSubdirectoriesInLinks()
    {
        Assert.Equal(0, StatAt(AT_FDCWD, "/dir", 0));

        Assert.Equal(SampleInitramfs.Dir, Mode);
        Assert.Equal(3UL, GetUInt64(_p, Buf + 16)); // ".", its entry in "/", and "sub/.."
    }

    [Fact]
    public void Do_SymlinkFollowedOrNot_StatsTheTargetOrTheLink()
    {
        Assert.Equal(0, StatAt(AT_FDCWD, "/etc/motd", 0));
        Assert.Equal(SampleInitramfs.File644, Mode);

        Assert.Equal(0, StatAt(AT_FDCWD, "/etc/motd", AT_SYMLINK_NOFOLLOW));
        Assert.Equal(SampleInitramfs.Link, Mode);
        Assert.Equal("/etc/passwd".Length, Size);
    }

    [Fact]
    public void Do_DevNull_IsCharacterDeviceOneThree()
    {
        Assert.Equal(0, StatAt(AT_FDCWD, "/dev/null", 0));

        Assert.Equal(FileStatus.S_IFCHR, Mode & FileStatus.S_IFMT);
        Assert.Equal((1UL << 8) | 3, GetUInt64(_p, Buf + 40));
    }

    [Fact]
    public void Do_Missing_ReturnsEnoent()
    {
        Assert.Equal(Err(Errno.ENOENT), StatAt(AT_FDCWD, "/etc/nothing", 0));
    }

    [Fact]
    public void Do_EmptyPathWithoutAtEmptyPath_ReturnsEnoent()
    {
        Assert.Equal(Err(Errno.ENOENT), StatAt(1, "", 0));
    }

    [Fact]
    public void Do_EmptyPathWithAtEmptyPath_StatsTheFd()
    {
        Assert.Equal(0, StatAt(1, "", AT_EMPTY_PATH));

        Assert.Equal(FileStatus.S_IFCHR | 0x180, Mode);
    }

    [Fact]
    public void Do_EmptyPathWithAtEmptyPathAndClosedFd_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), StatAt(42, "", AT_EMPTY_PATH));
    }

    [Fact]
    public void Do_UnknownFlag_ReturnsEinval()
    {
        Assert.Equal(Err(Errno.EINVAL), StatAt(AT_FDCWD, "/etc/passwd", 0x4));
    }

    [Fact]
    public void Do_StatBufferUnwritable_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), StatRaw(AT_FDCWD, PutString(_p, Path, "/etc/passwd"), 0x30_0000, 0));
        Assert.Equal(Err(Errno.EFAULT), StatRaw(AT_FDCWD, PutString(_p, Path, "/etc/passwd"), Scratch + ScratchSize - 100, 0));
    }

    [Fact]
    public void Do_PathUnmapped_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), StatRaw(AT_FDCWD, 0x30_0000, Buf, 0));
    }

    [Fact]
    public void Fstat_OpenFile_MatchesStatOfItsPath()
    {
        long fd = OpenPath("/etc/group");
        Assert.Equal(0, StatAt(AT_FDCWD, "/etc/group", 0));
        byte[] byPath = Get(_p, Buf, FileStatus.Size);

        Assert.Equal(0, Fstat((int)fd, Buf));

        Assert.Equal(byPath, Get(_p, Buf, FileStatus.Size));
        Assert.Equal(Err(Errno.EBADF), Fstat(99, Buf));
    }

    [Fact]
    public void Fstat_OpenDeviceNode_MatchesStatOfItsPath()
    {
        long fd = OpenPath("/dev/null");
        Assert.Equal(0, StatAt(AT_FDCWD, "/dev/null", 0));
        byte[] byPath = Get(_p, Buf, FileStatus.Size);

        Assert.Equal(0, Fstat((int)fd, Buf));

        Assert.Equal(byPath, Get(_p, Buf, FileStatus.Size)); // fstat reports the node the fd was opened from
    }

    [Fact]
    public void Newfstatat_EmptyPathOnADirectoryFd_StatsTheDirectory()
    {
        long fd = OpenPath("/dir", OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);

        Assert.Equal(0, StatAt((int)fd, "", AT_EMPTY_PATH));

        Assert.Equal(SampleInitramfs.Dir, Mode);
        Assert.Equal(_k.Lookup("/dir").Inode.Number, GetUInt64(_p, Buf + 8));
    }

    [Fact]
    public void Newfstatat_RelativeToADirectoryFd_StatsTheNameThere()
    {
        long fd = OpenPath("/etc", OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);

        Assert.Equal(0, StatAt((int)fd, "shadow", 0));

        Assert.Equal(SampleInitramfs.File600, Mode);
        Assert.Equal(_k.Lookup("/etc/shadow").Inode.Number, GetUInt64(_p, Buf + 8));
    }

    [Fact]
    public void Stat_FileWrittenThroughAnFd_ReportsTheNewSize()
    {
        long fd = OpenPath("/etc/passwd", OpenFlags.O_WRONLY | OpenFlags.O_APPEND);
        PutString(_p, Scratch + 0x2000, "more\n");
        Assert.Equal(5, _k.Call(_p, t => ReadWrite.DoWrite(t, (int)fd, Scratch + 0x2000, 5)));

        Assert.Equal(0, StatAt(AT_FDCWD, "/etc/passwd", 0));

        Assert.Equal(SampleInitramfs.Passwd.Length + 5, Size);
    }

    [Fact]
    public void Stat_FromAThreadOnAnotherCpu_WritesTheStructWhenTheReplyArrives()
    {
        UserProcess p = _k.NewProcess(cpu: 1);
        ulong path = PutString(p, Path, "/etc/shadow");

        var task = _k.Start(p.MainThread, () => Stat.InvokeStat(p.MainThread, Args(path, Buf)));

        Assert.False(task.IsCompleted);
        _k.Run();
        Assert.Equal(0, task.Result);
        Assert.Equal(SampleInitramfs.File600, (uint)GetInt32(p, Buf + 24));
    }
}

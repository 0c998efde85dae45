// CwdTests: getcwd(2) (length with the NUL, ERANGE when it does not fit),
// chdir(2) and fchdir(2) (directories only).
using Kevlar.Process.Files;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Xunit;
using static Kevlar.Process.Tests.Support.ProcessHarness;
using static Kevlar.Process.Tests.Support.Sys;

namespace Kevlar.Process.Tests.Syscalls;

public class CwdTests
{
    private const ulong Buf = Scratch + 0x1000;
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public CwdTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
    }

    private long Chdir(string path) => Cwd.Chdir(_t, Args(PutString(_p, Scratch, path)));

    [Fact]
    public void Getcwd_AtTheRoot_WritesSlashAndReturnsTwo()
    {
        Assert.Equal(2, Cwd.Getcwd(_t, Args(Buf, 100)));

        Assert.Equal("/\0", GetString(_p, Buf, 2));
    }

    [Fact]
    public void Getcwd_AfterChdir_ReturnsTheAbsolutePath()
    {
        Assert.Equal(0, Chdir("/dir/sub"));

        Assert.Equal(9, Cwd.Getcwd(_t, Args(Buf, 9)));
        Assert.Equal("/dir/sub\0", GetString(_p, Buf, 9));
    }

    [Fact]
    public void Getcwd_BufferWithoutRoomForTheNul_ReturnsErange()
    {
        Chdir("/dir/sub");

        Assert.Equal(Err(Errno.ERANGE), Cwd.Getcwd(_t, Args(Buf, 8)));
        Assert.Equal(Err(Errno.ERANGE), Cwd.Getcwd(_t, Args(Buf, 0)));
    }

    [Fact]
    public void Getcwd_BufferUnmapped_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), Cwd.Getcwd(_t, Args(0x30_0000, 100)));
    }

    [Fact]
    public void Chdir_RelativeAndThroughASymlink_ResolvesFromTheCurrentDirectory()
    {
        Assert.Equal(0, Chdir("/tmp"));
        Assert.Equal(0, Chdir("sub/.."));

        Assert.Equal(5, Cwd.Getcwd(_t, Args(Buf, 100)));
        Assert.Equal("/dir", GetString(_p, Buf, 4));
    }

    [Fact]
    public void Chdir_ToAFile_ReturnsEnotdir()
    {
        Assert.Equal(Err(Errno.ENOTDIR), Chdir("/etc/passwd"));
        Assert.Same(_k.Host.Files.Root, _p.CwdNode);
    }

    [Fact]
    public void Chdir_Missing_ReturnsEnoent()
    {
        Assert.Equal(Err(Errno.ENOENT), Chdir("/nothing"));
        Assert.Equal(Err(Errno.ENOENT), Chdir(""));
    }

    [Fact]
    public void Chdir_PathUnmapped_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), Cwd.Chdir(_t, Args(0x30_0000)));
    }

    [Fact]
    public void Fchdir_DirectoryFd_MovesThere()
    {
        long fd = Open.Do(_p, PathLookup.AT_FDCWD, PutString(_p, Scratch, "/etc"), OpenFlags.O_RDONLY);

        Assert.Equal(0, Cwd.Fchdir(_t, Args((ulong)fd)));

        Assert.Equal("etc", _p.CwdNode.Name);
    }

    [Fact]
    public void Fchdir_FileFdOrConsole_ReturnsEnotdir()
    {
        long fd = Open.Do(_p, PathLookup.AT_FDCWD, PutString(_p, Scratch, "/etc/passwd"), OpenFlags.O_RDONLY);

        Assert.Equal(Err(Errno.ENOTDIR), Cwd.Fchdir(_t, Args((ulong)fd)));
        Assert.Equal(Err(Errno.ENOTDIR), Cwd.Fchdir(_t, Args(1)));
    }

    [Fact]
    public void Fchdir_FdNotOpen_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), Cwd.Fchdir(_t, Args(42)));
    }
}

// CwdTests: getcwd(2) (length with the NUL, ERANGE when it does not fit),
// chdir(2) and fchdir(2) (directories only, search permission needed),
// chroot(2) (root only; getcwd outside the new root says "(unreachable)").
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

    private long Chdir(string path) => Chdir(_p, path);

    private long Chdir(UserProcess p, string path)
    {
        ulong at = PutString(p, Scratch, path);
        return _k.Call(p, t => Cwd.Chdir(t, Args(at)));
    }

    private long Getcwd(ulong buffer, ulong size) => _k.Call(_p, t => Cwd.Getcwd(t, Args(buffer, size)));

    private long OpenPath(string path)
    {
        ulong at = PutString(_p, Scratch, path);
        return _k.Call(_p, t => Open.Do(t, PathLookup.AT_FDCWD, at, OpenFlags.O_RDONLY, 0));
    }

    [Fact]
    public void Getcwd_AtTheRoot_WritesSlashAndReturnsTwo()
    {
        Assert.Equal(2, Getcwd(Buf, 100));

        Assert.Equal("/\0", GetString(_p, Buf, 2));
    }

    [Fact]
    public void Getcwd_AfterChdir_ReturnsTheAbsolutePath()
    {
        Assert.Equal(0, Chdir("/dir/sub"));

        Assert.Equal(9, Getcwd(Buf, 9));
        Assert.Equal("/dir/sub\0", GetString(_p, Buf, 9));
    }

    [Fact]
    public void Getcwd_BufferWithoutRoomForTheNul_ReturnsErange()
    {
        Chdir("/dir/sub");

        Assert.Equal(Err(Errno.ERANGE), Getcwd(Buf, 8));
        Assert.Equal(Err(Errno.ERANGE), Getcwd(Buf, 0));
    }

    [Fact]
    public void Getcwd_BufferUnmapped_ReturnsEfault()
    {
        Assert.Equal(Err(Errno.EFAULT), Getcwd(0x30_0000, 100));
    }

    [Fact]
    public void Chdir_RelativeAndThroughASymlink_ResolvesFromTheCurrentDirectory()
    {
        Assert.Equal(0, Chdir("/tmp"));
        Assert.Equal(0, Chdir("sub/.."));

        Assert.Equal(5, Getcwd(Buf, 100));
        Assert.Equal("/dir", GetString(_p, Buf, 4));
    }

    [Fact]
    public void Chdir_ToAFile_ReturnsEnotdir()
    {
        Assert.Equal(Err(Errno.ENOTDIR), Chdir("/etc/passwd"));
        Assert.Equal(_k.Host.Vfs.Namespace.Mounts.Root, _p.Cwd);
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
        Assert.Equal(Err(Errno.EFAULT), _k.Call(_t, () => Cwd.Chdir(_t, Args(0x30_0000))));
    }

    [Fact]
    public void Chdir_DirectoryWithoutSearchPermission_ReturnsEaccesExceptForRoot()
    {
        // drwxr-xr-x in the sample: made drwx------ (the test is the VfsActor's only user).
        Assert.Equal(0, Kevlar.Vfs.Operations.Namespace.Chmod(Kevlar.Vfs.Credentials.Root, _k.Lookup("/dir/sub"), 0x1C0));
        UserProcess user = _k.NewProcess(uid: 1000);

        Assert.Equal(Err(Errno.EACCES), Chdir(user, "/dir/sub"));
        Assert.Equal(0, Chdir(_p, "/dir/sub"));
    }

    [Fact]
    public void Chdir_IntoTheDevMount_GetcwdNamesThePathAcrossTheMount()
    {
        Assert.Equal(0, Chdir("/dev/pts"));
        Assert.Equal(0, Chdir(".."));

        Assert.Equal(5, Getcwd(Buf, 100));
        Assert.Equal("/dev\0", GetString(_p, Buf, 5));
        Assert.Equal(0, Chdir(".."));
        Assert.Equal(2, Getcwd(Buf, 100));
    }

    [Fact]
    public void Chroot_Root_ConfinesAbsolutePathsAndDotDot()
    {
        Assert.Equal(0, _k.Call(_t, () => Cwd.Chroot(_t, Args(PutString(_p, Scratch, "/dir")))));

        Assert.Equal(_k.Lookup("/dir"), _p.Root);
        Assert.Equal(0, Chdir("/sub"));
        Assert.Equal(0, Chdir("../../.."));
        Assert.Equal(_k.Lookup("/dir"), _p.Cwd);
        Assert.Equal(Err(Errno.ENOENT), Chdir("/etc"));
    }

    [Fact]
    public void Getcwd_WorkingDirectoryOutsideTheRoot_SaysUnreachable()
    {
        Assert.Equal(0, Chdir("/etc"));
        Assert.Equal(0, _k.Call(_t, () => Cwd.Chroot(_t, Args(PutString(_p, Scratch, "/dir")))));

        long n = Getcwd(Buf, 100);

        Assert.Equal("(unreachable)/etc\0".Length, n);
        Assert.Equal("(unreachable)/etc\0", GetString(_p, Buf, (int)n));
    }

    [Fact]
    public void Chroot_Unprivileged_ReturnsEperm()
    {
        UserProcess user = _k.NewProcess(uid: 1000);
        ulong path = PutString(user, Scratch, "/dir");

        Assert.Equal(Err(Errno.EPERM), _k.Call(user, t => Cwd.Chroot(t, Args(path))));
        Assert.Equal(_k.Host.Vfs.Namespace.Mounts.Root, user.Root);
    }

    [Fact]
    public void Fchdir_DirectoryFd_MovesThere()
    {
        long fd = OpenPath("/etc");

        Assert.Equal(0, Cwd.Fchdir(_t, Args((ulong)fd)));

        Assert.Equal(_k.Lookup("/etc"), _p.Cwd);
    }

    [Fact]
    public void Fchdir_FileFdOrConsole_ReturnsEnotdir()
    {
        long fd = OpenPath("/etc/passwd");

        Assert.Equal(Err(Errno.ENOTDIR), Cwd.Fchdir(_t, Args((ulong)fd)));
        Assert.Equal(Err(Errno.ENOTDIR), Cwd.Fchdir(_t, Args(1)));
    }

    [Fact]
    public void Fchdir_FdNotOpen_ReturnsEbadf()
    {
        Assert.Equal(Err(Errno.EBADF), Cwd.Fchdir(_t, Args(42)));
    }
}

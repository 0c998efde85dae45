// PermissionTests: generic_permission's classes and root's overrides.
using Kevlar.Vfs.Tests.Support;
using Xunit;
using static Kevlar.Vfs.Tests.Support.VfsWorld;

namespace Kevlar.Vfs.Tests;

public class PermissionTests
{
    private readonly VfsWorld _w = new VfsWorld();

    [Fact]
    public void Check_OwnerClassOnly_GroupBitsIgnoredForOwner()
    {
        var f = _w.File("/f", mode: Oct("070"), uid: 1000, gid: 100);
        Assert.Equal(-Errno.EACCES, Permission.Check(new Credentials(1000, 100), f, FileMode.MAY_READ));
        Assert.Equal(0, Permission.Check(new Credentials(1001, 100), f, FileMode.MAY_READ));
    }

    [Fact]
    public void Check_SupplementaryGroup_GetsGroupBits()
    {
        var f = _w.File("/f", mode: Oct("640"), uid: 1, gid: 50);
        Assert.Equal(0, Permission.Check(new Credentials(1000, 100, new uint[] { 7, 50 }), f, FileMode.MAY_READ));
        Assert.Equal(-Errno.EACCES, Permission.Check(new Credentials(1000, 100, new uint[] { 7, 50 }), f, FileMode.MAY_WRITE));
        Assert.Equal(-Errno.EACCES, Permission.Check(new Credentials(1000, 100, new uint[] { 7 }), f, FileMode.MAY_READ));
    }

    [Fact]
    public void Check_Root_BypassesReadWriteButExecNeedsAnXBit()
    {
        var f = _w.File("/f", mode: 0, uid: 5, gid: 5);
        Assert.Equal(0, Permission.Check(Credentials.Root, f, FileMode.MAY_READ | FileMode.MAY_WRITE));
        Assert.Equal(-Errno.EACCES, Permission.Check(Credentials.Root, f, FileMode.MAY_EXEC));
        _w.File("/g", mode: Oct("001"), uid: 5, gid: 5);
        Assert.Equal(0, Permission.Check(Credentials.Root, _w.Inode("/g"), FileMode.MAY_EXEC));
        var d = _w.Dir("/d", mode: 0, uid: 5, gid: 5);
        Assert.Equal(0, Permission.Check(Credentials.Root, d, FileMode.MAY_EXEC | FileMode.MAY_WRITE));
    }
}

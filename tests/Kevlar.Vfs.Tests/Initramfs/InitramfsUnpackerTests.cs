// InitramfsUnpackerTests: archives from GNU cpio and from NewcWriter
// unpacked into a tmpfs: types, modes, owners, mtimes, hard links, device
// nodes, implied parents, and a corrupt tail.
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Initramfs;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Tests.Support;
using Xunit;
using static Kevlar.Vfs.Tests.Support.VfsWorld;

namespace Kevlar.Vfs.Tests.Initramfs;

public class InitramfsUnpackerTests : IClassFixture<SampleTree>
{
    private readonly SampleTree _tree;

    public InitramfsUnpackerTests(SampleTree tree) => _tree = tree;

    /// <summary>A world whose root filesystem the archive was unpacked into.</summary>
    private static VfsWorld Unpack(byte[] archive, out CpioError error, out int skipped)
    {
        var w = new VfsWorld();
        error = InitramfsUnpacker.Unpack(w.Fs, archive, out skipped);
        return w;
    }

    [Theory]
    [InlineData("newc")]
    [InlineData("crc")]
    public void Unpack_GnuCpioArchive_RecreatesTree(string format)
    {
        byte[] archive = GnuCpio.Create(_tree.Root, format, SampleTree.Names);
        VfsWorld w = Unpack(archive, out CpioError error, out int skipped);

        Assert.Equal(CpioError.None, error);
        Assert.Equal(0, skipped);
        Assert.Equal("hello, initramfs\n", w.Read("/hello.txt"));
        Assert.Equal(_tree.Tool, System.Text.Encoding.Latin1.GetBytes(w.Read("/bin/tool")));
        Assert.Equal(FileType.S_IFREG | Oct("755"), w.Inode("/bin/tool").Mode);
        Assert.Equal(FileType.S_IFREG | Oct("600"), w.Inode("/empty").Mode);
        Assert.Equal(0, w.Inode("/empty").Size);
        Assert.Equal(1234u, w.Inode("/bin/tool").Uid);
        Assert.Equal(5678u, w.Inode("/bin/tool").Gid);
        Assert.Equal(1_700_000_000L, w.Inode("/hello.txt").Mtime.Seconds);
        Assert.Equal(0, w.Ns.Readlink(w.Root, "/link", out string target));
        Assert.Equal("bin/tool", target);
        Assert.Equal(1234u, w.Inode("/link", follow: false).Uid);
        Assert.Equal(1234u, w.Fs.Root.Uid);
    }

    [Fact]
    public void Unpack_HardLinks_ShareInodeWithBytes()
    {
        byte[] archive = GnuCpio.Create(_tree.Root, "newc", SampleTree.Names);
        VfsWorld w = Unpack(archive, out _, out _);

        Inode h1 = w.Inode("/hard1");
        Assert.Same(h1, w.Inode("/hard2"));
        Assert.Equal(2u, h1.LinkCount);
        Assert.Equal("shared bytes", w.Read("/hard1"));
    }

    [Fact]
    public void Unpack_DevicesFifosAndImpliedParents()
    {
        byte[] archive = new NewcWriter()
            .Add("dev/console", FileType.S_IFCHR | Oct("600"), rdevMajor: 5, rdevMinor: 1, ino: 2)
            .Add("run/initctl", FileType.S_IFIFO | Oct("600"), ino: 3)
            .Add("usr/share/doc/readme", FileType.S_IFREG | Oct("644"), "read me"u8.ToArray(), ino: 4)
            .Trailer().ToArray();
        VfsWorld w = Unpack(archive, out CpioError error, out int skipped);

        Assert.Equal(CpioError.None, error);
        Assert.Equal(0, skipped);
        Inode console = w.Inode("/dev/console");
        Assert.Equal(FileType.S_IFCHR | Oct("600"), console.Mode);
        Assert.Equal(DeviceNumber.Make(5, 1), console.RawDevice);
        Assert.Equal(1_700_000_000L, console.Mtime.Seconds);
        Assert.Equal(FileType.S_IFIFO, w.Inode("/run/initctl").Type);
        Assert.Equal(FileType.S_IFDIR | Oct("755"), w.Inode("/usr/share/doc").Mode);
        Assert.Equal("read me", w.Read("/usr/share/doc/readme"));
    }

    [Fact]
    public void Unpack_DirectoryMtimes_SetAfterChildren()
    {
        byte[] archive = new NewcWriter()
            .Add("etc", FileType.S_IFDIR | Oct("755"), ino: 2)
            .Add("etc/hosts", FileType.S_IFREG | Oct("644"), "127.0.0.1 localhost\n"u8.ToArray(), ino: 3)
            .Trailer().ToArray();
        VfsWorld w = Unpack(archive, out _, out _);
        Assert.Equal(new Timestamp(1_700_000_000, 0), w.Inode("/etc").Mtime);
    }

    [Fact]
    public void Unpack_CorruptTail_KeepsMembersBeforeDamageAndReportsError()
    {
        byte[] good = new NewcWriter()
            .Add("a", FileType.S_IFREG | Oct("644"), "first"u8.ToArray(), ino: 2)
            .Add("d", FileType.S_IFDIR | Oct("755"), ino: 3).ToArray();
        byte[] archive = new byte[good.Length + 120];
        good.CopyTo(archive, 0);
        System.Text.Encoding.ASCII.GetBytes("070701zzzz").CopyTo(archive, good.Length);
        VfsWorld w = Unpack(archive, out CpioError error, out _);

        Assert.Equal(CpioError.BadHex, error);
        Assert.Equal("first", w.Read("/a"));
        Assert.True(w.Inode("/d").IsDirectory);
    }

    [Fact]
    public void Unpack_ReplacesExistingNameOfOtherType()
    {
        var w = new VfsWorld();
        w.Dir("/x");
        byte[] archive = new NewcWriter().Add("x", FileType.S_IFREG | Oct("644"), "file"u8.ToArray(), ino: 2).Trailer().ToArray();
        Assert.Equal(CpioError.None, InitramfsUnpacker.Unpack(w.Fs, archive, out int skipped));
        Assert.Equal(0, skipped);
        Assert.Equal("file", w.Read("/x"));
    }

    [Fact]
    public void Unpack_NoSpace_SkipsMember()
    {
        var w = new VfsWorld(new TmpfsOptions { MaxInodes = 2 });
        byte[] archive = new NewcWriter()
            .Add("a", FileType.S_IFREG | Oct("644"), "1"u8.ToArray(), ino: 2)
            .Add("b", FileType.S_IFREG | Oct("644"), "2"u8.ToArray(), ino: 3).Trailer().ToArray();
        Assert.Equal(CpioError.None, InitramfsUnpacker.Unpack(w.Fs, archive, out int skipped));
        Assert.Equal(1, skipped);
        Assert.Equal("1", w.Read("/a"));
    }
}

// SampleInitramfs: a small root file system as a newc archive built in
// memory (NewcWriter, linked from tests/Kevlar.Vfs.Tests), the bytes
// ProcessHost unpacks into its tmpfs root (beside the /dev it mounts). Every
// member is owned by root (uid 0, gid 0); the tree is writable, as Linux's
// rootfs is.
//   /bin/busybox (0755)  /bin/sh -> busybox
//   /etc/passwd (0644)  /etc/shadow (0600)  /etc/group (0640)  /etc/motd -> /etc/passwd
//   /dir/a  /dir/b  /dir/sub/  (the directory getdents64 lists)
//   /tmp -> dir (so the kernel's own /tmp, made only when missing, is not there)   /loop -> loop
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Vfs.Initramfs;
using Kevlar.Vfs.Tests.Support;
using Xunit;

namespace Kevlar.Process.Tests.Support;

public static class SampleInitramfs
{
    public const uint Dir = 0x4000 | 0x1ED, File644 = 0x8000 | 0x1A4, File600 = 0x8000 | 0x180, File640 = 0x8000 | 0x1A0,
        File755 = 0x8000 | 0x1ED, Link = 0xA000 | 0x1FF;
    public const string Passwd = "root:x:0:0:root:/root:/bin/sh\n";

    /// <summary>The names /dir holds, in archive order (after "." and "..").</summary>
    public static readonly string[] DirNames = { "a", "b", "sub" };

    /// <summary>A member a test adds to the sample (a program to exec, say).</summary>
    public sealed record Extra(string Name, uint Mode, byte[] Data);

    public static byte[] Archive(IEnumerable<Extra>? extras = null)
    {
        uint ino = 100;
        var w = new NewcWriter();
        void Add(string name, uint mode, string data = "") => w.Add(name, mode, Encoding.Latin1.GetBytes(data), ino: ino++);
        Add(".", Dir);
        Add("bin", Dir);
        Add("bin/busybox", File755, "\x7f" + "ELF not really");
        Add("bin/sh", Link, "busybox");
        Add("etc", Dir);
        Add("etc/passwd", File644, Passwd);
        Add("etc/shadow", File600, "root:*:19000::::::\n");
        Add("etc/group", File640, "root:x:0:\n");
        Add("etc/motd", Link, "/etc/passwd");
        Add("dir", Dir);
        Add("dir/a", File644, "A");
        Add("dir/b", File644, "BB");
        Add("dir/sub", Dir);
        Add("tmp", Link, "dir");
        Add("loop", Link, "loop");
        foreach (Extra e in extras ?? Array.Empty<Extra>())
            w.Add(e.Name, e.Mode, e.Data, ino: ino++);
        return w.Trailer().ToArray();
    }

    public static byte[] Load(IEnumerable<Extra>? extras = null) => Archive(extras);
}

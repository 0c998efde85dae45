// BootFilesystems: the namespace the first process sees — a tmpfs root
// unpacked from the initramfs (modes, owners, symlinks, device nodes, hard
// links), and /dev as a devtmpfs-like tmpfs holding Linux's standard device
// nodes with their major:minor numbers (Documentation/admin-guide/devices.txt).
using Kevlar.Runtime.Devices;
using Kevlar.Vfs;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Initramfs;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Operations;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files.Vfs;

public static class BootFilesystems
{
    /// <summary>Builds the namespace; <paramref name="error"/> reports a damaged archive (the
    /// entries before the damage are kept).</summary>
    public static Namespace Build(byte[] archive, ISystemClock clock, out CpioError error)
    {
        var root = new Tmpfs(clock, 1);
        error = InitramfsUnpacker.Unpack(root, archive, out _);
        var ns = new Namespace(new MountTree(root, "rootfs"));
        var ctx = new PathContext(Credentials.Root, ns.Mounts.Root, ns.Mounts.Root);
        ns.Mkdir(ctx, "/dev", 0x1ED);
        if (ns.Lookup(ctx, "/dev", true, out Location dev) == 0)
        {
            var devfs = new Tmpfs(clock, 5);
            ns.Mounts.Attach(dev, devfs, 0, "devtmpfs", out _);
            MakeDevices(ns, ctx);
        }
        ns.Mkdir(ctx, "/tmp", 0x3FF | 0x200); // drwxrwxrwt
        return ns;
    }

    private static void MakeDevices(Namespace ns, in PathContext ctx)
    {
        Char(ns, ctx, "/dev/null", 1, 3, 0x1B6);
        Char(ns, ctx, "/dev/zero", 1, 5, 0x1B6);
        Char(ns, ctx, "/dev/full", 1, 7, 0x1B6);
        Char(ns, ctx, "/dev/random", 1, 8, 0x1B6);
        Char(ns, ctx, "/dev/urandom", 1, 9, 0x1B6);
        Char(ns, ctx, "/dev/tty", 5, 0, 0x1B6);
        Char(ns, ctx, "/dev/console", 5, 1, 0x180);
        Char(ns, ctx, "/dev/ttyS0", 4, 64, 0x1B0);
        ns.Mkdir(ctx, "/dev/pts", 0x1ED);
        ns.Mkdir(ctx, "/dev/shm", 0x3FF | 0x200);
        ns.Symlink(ctx, "/proc/self/fd", "/dev/fd");
        ns.Symlink(ctx, "/proc/self/fd/0", "/dev/stdin");
        ns.Symlink(ctx, "/proc/self/fd/1", "/dev/stdout");
        ns.Symlink(ctx, "/proc/self/fd/2", "/dev/stderr");
    }

    private static void Char(Namespace ns, in PathContext ctx, string path, uint major, uint minor, uint permissions)
        => ns.Mknod(ctx, path, FileType.S_IFCHR | permissions, DeviceNumber.Make(major, minor));
}

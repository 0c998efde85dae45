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
using Kevlar.Vfs.Inodes;

namespace Kevlar.Process.Files.Vfs;

public static class BootFilesystems
{
    /// <summary>Builds the namespace; <paramref name="error"/> reports a damaged archive (the
    /// entries before the damage are kept).</summary>
    public static Namespace Build(ProcessHost host, byte[] archive, ISystemClock clock, out CpioError error,
        out FilesystemTypes types)
    {
        // tmpfs's default size, as Linux sizes the initramfs root and devtmpfs: half of RAM. Their
        // pages are kernel-heap objects: together they may take half of the heap (MemoryBudget).
        long halfRam = (long)(host.Memory.TotalBytes / 2 / 4096);
        ulong heap = host.Memory.KernelHeapBytes;
        MemoryBudget? budget = heap == 0 ? null : new MemoryBudget((long)(heap / 2 / 4096));
        types = new FilesystemTypes(clock, halfRam * 2, budget);
        var root = new Tmpfs(clock, 1, new TmpfsOptions { MaxPages = halfRam, Budget = budget });
        error = InitramfsUnpacker.Unpack(root, archive, out _);
        var ns = new Namespace(new MountTree(root, "rootfs"));
        var ctx = new PathContext(Credentials.Root, ns.Mounts.Root, ns.Mounts.Root);
        ns.Mkdir(ctx, "/dev", 0x1ED);
        if (ns.Lookup(ctx, "/dev", true, out Location dev) == 0)
        {
            var devfs = new Tmpfs(clock, 5, "devtmpfs", Tmpfs.TMPFS_MAGIC, new TmpfsOptions { MaxPages = halfRam, RootMode = 0x1ED, Budget = budget });
            types.Devtmpfs = devfs;
            devfs.ShownOptions = devfs.OptionsText(halfRam, 0);
            ns.Mounts.Attach(dev, devfs, 0, "devtmpfs", out _);
            MakeDevices(ns, ctx);
            types.Devpts = Devpts(clock, types, budget);
            types.Devpts.ShownOptions = types.DevptsOptions.Text();
            if (ns.Lookup(ctx, "/dev/pts", true, out Location pts) == 0)
                ns.Mounts.Attach(pts, types.Devpts, MountFlags.MS_NOSUID | MountFlags.MS_NOEXEC, "devpts", out _);
        }
        ns.Mkdir(ctx, "/tmp", 0x3FF | 0x200); // drwxrwxrwt
        types.ProcFiles = new Procfs.ProcFs(host, clock, 4, budget);
        types.Proc = types.ProcFiles.Filesystem;
        types.Sysfs = Sysfs(host, clock, budget);
        types.Cgroups = new Kevlar.Process.Files.Cgroups.CgroupFs(host, clock, 8, budget);
        Mount(ns, ctx, "/proc", types.Proc, "proc");
        Mount(ns, ctx, "/sys", types.Sysfs, "sysfs");
        return ns;
    }

    private const uint NoSuidNoDevNoExec = MountFlags.MS_NOSUID | MountFlags.MS_NODEV | MountFlags.MS_NOEXEC;

    private static void Mount(Namespace ns, in PathContext ctx, string path, Filesystem fs, string source)
    {
        ns.Mkdir(ctx, path, 0x16D);
        if (ns.Lookup(ctx, path, true, out Location at) == 0) ns.Mounts.Attach(at, fs, NoSuidNoDevNoExec, source, out _);
    }

    // devpts: its own ptmx node (mode ptmxmode=, 0000 by default, as Linux's); slave nodes come and go with ptys.
    private static Filesystem Devpts(ISystemClock clock, FilesystemTypes types, MemoryBudget? budget)
    {
        var fs = new Tmpfs(clock, 7, "devpts", 0x1CD1, new TmpfsOptions { RootMode = 0x1ED, Budget = budget });
        fs.KernelMadeNames = true;
        var tree = new MountTree(fs, "devpts");
        types.DevptsNames = new Namespace(tree, editsKernelNames: true);
        Char(types.DevptsNames, new PathContext(Credentials.Root, tree.Root, tree.Root), "/ptmx", 5, 2, types.DevptsOptions.PtmxMode);
        return fs;
    }

    // /sys as far as C libraries and BusyBox read it: which CPUs exist and are online.
    private static Filesystem Sysfs(ProcessHost host, ISystemClock clock, MemoryBudget? budget)
    {
        var fs = new Tmpfs(clock, 6, "sysfs", 0x62656572, new TmpfsOptions { RootMode = 0x1ED, Budget = budget });
        fs.KernelMadeNames = true;
        var tree = new MountTree(fs, "sysfs");
        var ns = new Namespace(tree, editsKernelNames: true);
        var ctx = new PathContext(Credentials.Root, tree.Root, tree.Root);
        ns.Mkdir(ctx, "/devices", 0x1ED);
        ns.Mkdir(ctx, "/devices/system", 0x1ED);
        ns.Mkdir(ctx, "/devices/system/cpu", 0x1ED);
        ns.Mkdir(ctx, "/kernel", 0x1ED);
        ns.Mkdir(ctx, "/fs", 0x1ED);
        ns.Mkdir(ctx, "/fs/cgroup", 0x1ED);
        string cpus = host.Scheduler.CpuCount == 1 ? "0\n" : string.Concat("0-", Kevlar.Runtime.Text.NumberText.Decimal(host.Scheduler.CpuCount - 1), "\n");
        WriteFile(ns, ctx, "/devices/system/cpu/online", cpus);
        WriteFile(ns, ctx, "/devices/system/cpu/possible", cpus);
        WriteFile(ns, ctx, "/devices/system/cpu/present", cpus);
        for (int cpu = 0; cpu < host.Scheduler.CpuCount; cpu++)
            ns.Mkdir(ctx, string.Concat("/devices/system/cpu/cpu", Kevlar.Runtime.Text.NumberText.Decimal(cpu)), 0x1ED);
        fs.GeneratedContents = true;
        fs.RefusesWriteOpens = true;
        return fs;
    }

    private static void WriteFile(Namespace ns, in PathContext ctx, string path, string text)
    {
        if (ns.Open(ctx, path, VfsOpenFlags.O_WRONLY | VfsOpenFlags.O_CREAT, 0x124, out Location at) != 0) return;
        ((RegularInode)at.Inode).Write(0, Kevlar.Runtime.Text.Latin1.Encode(text) ?? new byte[0]);
        at.Inode.Release();
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
        Char(ns, ctx, "/dev/ptmx", 5, 2, 0x1B6);
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

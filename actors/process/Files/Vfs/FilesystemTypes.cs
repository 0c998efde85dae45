// FilesystemTypes: the filesystems mount(2) can make, by type name. tmpfs
// gives a new instance per mount (its options parsed by TmpfsOptionParser);
// proc has one per PID namespace (the mounter's); devtmpfs, sysfs and devpts
// have one instance each — Linux keeps a single devtmpfs superblock and one
// sysfs per network namespace — so every
// mount of them shows the same tree, and mounting one again where it already
// is the top mount is -EBUSY (the caller checks that). Linux since 4.7 makes
// a new devpts instance per mount, found from /dev/ptmx through the "pts"
// beside it; here every mount shows the one instance /dev/ptmx serves, and a
// mount's options (mode=, gid=, ptmxmode=, ...) apply to it from then on.
//
// State: owned by the VfsActor (the device counter changes only there).
using Kevlar.Runtime.Devices;
using Kevlar.Vfs.Filesystems;

namespace Kevlar.Process.Files.Vfs;

public sealed class FilesystemTypes
{
    private readonly ISystemClock _clock;
    // Anonymous device numbers (0:N) for new tmpfs instances; the boot filesystems use 1-6.
    private ulong _nextDevice = 16;

    public FilesystemTypes(ISystemClock clock, long ramPages, MemoryBudget? budget = null)
    {
        _clock = clock;
        RamPages = ramPages;
        Budget = budget;
    }

    /// <summary>What the file data of every tmpfs (and the root and devtmpfs) may take together.</summary>
    public MemoryBudget? Budget { get; }

    /// <summary>Pages of RAM: tmpfs's default limits are half of it, size=N% a share of it.</summary>
    public long RamPages { get; }
    /// <summary>The one devtmpfs (/dev at boot).</summary>
    public Filesystem? Devtmpfs { get; set; }
    /// <summary>The first PID namespace's procfs (nested ones keep theirs: PidNamespace.Proc).</summary>
    public Filesystem? Proc { get; set; }
    /// <summary>What generates it (told when a process is reaped).</summary>
    public Procfs.ProcFs? ProcFiles { get; set; }
    /// <summary>The one sysfs.</summary>
    public Filesystem? Sysfs { get; set; }
    /// <summary>The one cgroup2 filesystem and the cgroup tree it shows (the VfsActor's).</summary>
    public Kevlar.Process.Files.Cgroups.CgroupFs? Cgroups { get; set; }
    /// <summary>The one devpts (/dev/pts at boot) and the mount it was first shown by.</summary>
    public Filesystem? Devpts { get; set; }
    /// <summary>Where slave nodes are made and removed: devpts's own namespace (its names are the
    /// kernel's; a user's mknod or unlink there is -EPERM).</summary>
    public Kevlar.Vfs.Operations.Namespace? DevptsNames { get; set; }
    /// <summary>devpts's options, from the last mount or remount of it.</summary>
    public DevptsOptions DevptsOptions { get; set; } = new DevptsOptions();

    /// <summary>A new tmpfs with <paramref name="options"/>.</summary>
    public Tmpfs NewTmpfs(TmpfsOptions options)
    {
        options.Budget ??= Budget;
        return new Tmpfs(_clock, _nextDevice++, options) { GoesWithLastMount = true };
    }

    /// <summary>
    /// The filesystem a new mount of <paramref name="type"/> shows, given mount(2)'s data
    /// string: 0; -ENODEV for a type not known here; -EINVAL for options the type rejects.
    /// <paramref name="readOnly"/> is set when the data asked for "ro". proc shows
    /// <paramref name="pids"/> (the mounter's PID namespace; the first one when null).
    /// </summary>
    public int Make(string type, string data, out Filesystem? fs, out bool readOnly, Namespaces.PidNamespace? pids = null)
    {
        fs = null;
        readOnly = false;
        if (type == "tmpfs")
        {
            var request = new TmpfsMountRequest();
            int r = TmpfsOptionParser.Parse(data, RamPages, RamPages / 2, request);
            if (r != 0) return r;
            readOnly = request.ReadOnly;
            Tmpfs made = NewTmpfs(request.Options);
            made.ShownOptions = made.OptionsText(RamPages / 2, RamPages / 2);
            fs = made;
            return 0;
        }
        if (type == "devpts" && Devpts != null)
        {
            int r = DevptsOptions.Parse(data, out DevptsOptions options, out readOnly);
            if (r != 0) return r;
            ApplyDevpts(options);
            fs = Devpts;
            return 0;
        }
        if (type == "proc" && pids != null && pids.Level > 0 && ProcFiles != null)
            pids.Proc ??= ProcFiles.ForNamespace(pids, _nextDevice++);
        Filesystem? single = type == "devtmpfs" ? Devtmpfs : type == "proc" ? (pids != null && pids.Level > 0 ? pids.Proc?.Filesystem : Proc) : type == "sysfs" ? Sysfs
            : type == "cgroup2" ? Cgroups?.Filesystem : null;
        if (single == null) return -Errno.ENODEV;
        if (type == "cgroup2") data = WithoutCgroup2Options(data);
        int e = GenericOptionsOnly(data, out readOnly);
        if (e != 0) return e;
        fs = single;
        return 0;
    }

    /// <summary>Takes devpts options from a mount or remount: new nodes follow them, and the
    /// instance's ptmx node gets ptmxmode.</summary>
    public void ApplyDevpts(DevptsOptions options)
    {
        DevptsOptions = options;
        if (Devpts != null) Devpts.ShownOptions = options.Text();
        if (DevptsNames != null && Devpts != null && Devpts.Root.Lookup("ptmx") is Kevlar.Vfs.Inodes.Inode ptmx)
            Kevlar.Vfs.Operations.Namespace.Chmod(Kevlar.Vfs.Credentials.Root, new Kevlar.Vfs.Mounts.Location(DevptsNames.Mounts.RootMount, ptmx), options.PtmxMode);
    }

    // cgroup2's own options (cgroup_parse_param), taken and ignored: container runtimes and
    // systemd pass them, and none changes what this tree does.
    private static readonly string[] s_cgroup2Options =
    {
        "nsdelegate", "favordynmods", "memory_localevents", "memory_recursiveprot", "memory_hugetlb_accounting", "pids_localevents",
    };

    private static string WithoutCgroup2Options(string data)
    {
        string[] parts = data.Split(',', System.StringSplitOptions.None);
        string kept = string.Empty;
        for (int i = 0; i < parts.Length; i++)
        {
            bool known = false;
            for (int j = 0; j < s_cgroup2Options.Length; j++) known |= parts[i] == s_cgroup2Options[j];
            if (!known && parts[i].Length != 0) kept = kept.Length == 0 ? parts[i] : string.Concat(kept, ",", parts[i]);
        }
        return kept;
    }

    /// <summary>A data string with only the generic words (ro, rw, sync, ...): 0 or -EINVAL
    /// (proc's hidepid= and gid=, and devtmpfs's tmpfs options, are not taken here).</summary>
    public static int GenericOptionsOnly(string data, out bool readOnly)
    {
        readOnly = false;
        string[] parts = data.Split(',', System.StringSplitOptions.None);
        for (int i = 0; i < parts.Length; i++)
            if (parts[i].Length != 0 && !TmpfsOptionParser.IsGenericWord(parts[i], ref readOnly)) return -Errno.EINVAL;
        return 0;
    }
}

// Filesystem: one mounted-or-mountable filesystem instance (Linux's
// super_block): its type name and magic, device number, clock, limits,
// inode-number allocator and root directory. Subclasses decide what space
// costs (ChargePage / ChargeInode) and what statfs(2) reports.
//
// Inodes are created only through the New* methods, which charge the
// filesystem; eviction (Inode.EvictIfUnused) calls ReleaseInode to uncharge.
using Kevlar.Runtime.Devices;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Filesystems;

/// <summary>A filesystem instance: identity, limits, clock, accounting, root.</summary>
public abstract class Filesystem
{
    /// <summary>Longest name in a directory, in bytes (NAME_MAX).</summary>
    public const int NameMax = 255;

    private readonly ISystemClock _clock;
    private ulong _nextInodeNumber = 1;

    protected Filesystem(string typeName, long magic, ulong device, ISystemClock clock)
    {
        TypeName = typeName;
        Magic = magic;
        Device = device;
        _clock = clock;
        MaxFileSize = long.MaxValue;
    }

    /// <summary>The type as /proc/mounts names it ("tmpfs").</summary>
    public string TypeName { get; }
    /// <summary>statfs f_type.</summary>
    public long Magic { get; }
    /// <summary>st_dev of every inode here.</summary>
    public ulong Device { get; }
    /// <summary>The superblock is read-only: every change is -EROFS, on every mount of it.</summary>
    public bool ReadOnly { get; set; }
    /// <summary>Regular files hold text the kernel makes (procfs, sysfs): writes to them are -EIO
    /// and fallocate -EOPNOTSUPP, as for Linux's files without a write operation, so a user cannot
    /// grow them (their owner still writes them directly).</summary>
    public bool GeneratedContents { get; set; }
    /// <summary>Its regular files refuse an open for writing with -EACCES, even root's (sysfs's
    /// read-only attributes: kernfs_fop_open), where procfs's open and then fail the write.</summary>
    public bool RefusesWriteOpens { get; set; }
    /// <summary>Names here are the kernel's to make and remove (procfs, sysfs, devpts, whose Linux
    /// directories have no create, mkdir, mknod, link, symlink, unlink, rmdir or rename operation):
    /// a user's attempt is -EPERM (-EACCES for open's O_CREAT), and only the owner's own
    /// Namespace (<see cref="Operations.Namespace.EditsKernelNames"/>) changes them.</summary>
    public bool KernelMadeNames { get; set; }
    /// <summary>Largest file size (s_maxbytes); writes and truncates beyond give -EFBIG.</summary>
    public long MaxFileSize { get; protected set; }
    /// <summary>Most links an inode may have (s_max_links); 0 for no limit.</summary>
    public uint MaxLinks { get; protected set; }
    /// <summary>The root directory (set by the subclass's constructor).</summary>
    public DirectoryInode Root { get; protected set; } = null!;

    /// <summary>Mounts showing it in any mount tree (lazily unmounted ones not counted): kept by
    /// MountTree. At 0, a filesystem made by mount(2) is gone once nothing uses it (Linux frees its
    /// superblock with the last reference).</summary>
    public int MountCount { get; internal set; }

    /// <summary>The filesystem's own options as /proc/mounts ends a line with them (",size=1024k",
    /// ",mode=600,ptmxmode=000"): set by whoever mounts or remounts it; empty for none.</summary>
    public string ShownOptions { get; set; } = string.Empty;

    /// <summary>Told before a name is looked up or a directory listed here: how a generated
    /// filesystem (procfs) makes its entries from live state; null for ordinary ones.</summary>
    public ILookupHook? LookupHook { get; set; }

    /// <summary>Told of mkdir and rmdir here: how cgroup2 makes and removes a cgroup with its
    /// directory; null for ordinary filesystems.</summary>
    public IDirectoryHook? DirectoryHook { get; set; }

    /// <summary>The current realtime, for file times.</summary>
    public Timestamp Now() => Timestamp.Now(_clock);

    /// <summary>Fills <paramref name="info"/> as statfs(2) does for this filesystem (Flags: ST_VALID only; the mount adds its own).</summary>
    public abstract void Statfs(out StatfsInfo info);

    /// <summary>What every in-memory filesystem's statfs shares: its magic, 4 KiB blocks, NAME_MAX,
    /// the device as f_fsid, ST_VALID; no counts.</summary>
    protected void StatfsIdentity(out StatfsInfo info)
    {
        info = default;
        info.Type = Magic;
        info.Bsize = RegularInode.PageSize;
        info.Frsize = RegularInode.PageSize;
        info.Namelen = NameMax;
        info.Fsid0 = (int)(uint)Device;
        info.Fsid1 = (int)(uint)(Device >> 32);
        info.Flags = StatfsInfo.ST_VALID;
    }

    /// <summary>Takes one page of space; false when the filesystem is full.</summary>
    internal abstract bool ChargePage();
    /// <summary>Returns <paramref name="count"/> pages of space.</summary>
    internal abstract void UnchargePages(int count);
    /// <summary>Takes one inode; false when the inode limit is reached.</summary>
    protected abstract bool ChargeInode();
    /// <summary>Returns one inode.</summary>
    protected abstract void UnchargeInode();

    /// <summary>Called once per evicted inode.</summary>
    internal void ReleaseInode(Inode inode) => UnchargeInode();

    /// <summary>A new directory (LinkCount 1, for its "."): 0 or -ENOSPC.</summary>
    internal int NewDirectory(uint perm, uint uid, uint gid, out DirectoryInode? inode)
    {
        inode = ChargeInode() ? new DirectoryInode(this, _nextInodeNumber++, FileType.S_IFDIR | (perm & FileMode.S_IALLUGO), uid, gid) : null;
        if (inode != null)
            inode.LinkCount = 1;
        return inode != null ? 0 : -Errno.ENOSPC;
    }

    /// <summary>A new empty regular file (LinkCount 0 until linked): 0 or -ENOSPC.</summary>
    internal int NewRegular(uint perm, uint uid, uint gid, out RegularInode? inode)
    {
        inode = ChargeInode() ? new RegularInode(this, _nextInodeNumber++, FileType.S_IFREG | (perm & FileMode.S_IALLUGO), uid, gid) : null;
        return inode != null ? 0 : -Errno.ENOSPC;
    }

    /// <summary>A new symlink to <paramref name="target"/>: 0 or -ENOSPC.</summary>
    internal int NewSymlink(uint uid, uint gid, string target, out SymlinkInode? inode)
    {
        inode = ChargeInode() ? new SymlinkInode(this, _nextInodeNumber++, uid, gid, target) : null;
        return inode != null ? 0 : -Errno.ENOSPC;
    }

    /// <summary>A new device node, FIFO or socket (<paramref name="mode"/> includes the type): 0 or -ENOSPC.</summary>
    internal int NewSpecial(uint mode, uint uid, uint gid, ulong rawDevice, out SpecialInode? inode)
    {
        inode = ChargeInode() ? new SpecialInode(this, _nextInodeNumber++, mode, uid, gid, rawDevice) : null;
        return inode != null ? 0 : -Errno.ENOSPC;
    }
}

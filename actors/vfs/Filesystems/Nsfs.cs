// Nsfs: the filesystem of namespace files (Linux's nsfs), where the magic
// links /proc/[pid]/ns/* lead. Each file stands for one namespace: its inode
// number is the namespace's ("mnt:[N]" names N), it is a read-only regular
// file without contents (read and write are -EINVAL, as nsfs has no file
// operations for them), and setns(2) takes the namespace from an fd open on
// it. Not mountable; its one mount lives in a tree of its own, so no mount
// operation can be made on it (-EINVAL).
using Kevlar.Runtime.Devices;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Mounts;

namespace Kevlar.Vfs.Filesystems;

public sealed class Nsfs : Filesystem
{
    /// <summary>NSFS_MAGIC, statfs's f_type.</summary>
    public const long NSFS_MAGIC = 0x6e736673;

    private readonly MountTree _mounts;

    public Nsfs(ISystemClock clock, ulong device)
        : base("nsfs", NSFS_MAGIC, device, clock)
    {
        NewDirectory(0x16D, 0, 0, out DirectoryInode? root); // dr-xr-xr-x, never reachable by path
        Root = root!;
        _mounts = new MountTree(this, "nsfs");
    }

    /// <summary>Where a magic link to <paramref name="ns"/> leads: a new file for it with
    /// <paramref name="number"/> as its inode number.</summary>
    public Location FileOf(ulong number, object ns) => new Location(_mounts.RootMount, new NsfsInode(this, number, ns));

    public override void Statfs(out StatfsInfo info) => StatfsIdentity(out info);

    internal override bool ChargePage() => false;

    internal override void UnchargePages(int count)
    {
    }

    protected override bool ChargeInode() => true;

    protected override void UnchargeInode()
    {
    }
}

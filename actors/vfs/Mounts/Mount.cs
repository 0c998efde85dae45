// Mount: a filesystem attached at a place (Linux's struct mount): which
// filesystem, which of its directories is the root seen here, where it sits
// (parent mount and the directory it covers), its flags and source name.
using System.Collections.Generic;
using System.Text;
using Kevlar.Vfs.Filesystems;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Vfs.Mounts;

/// <summary>One mount in a MountTree.</summary>
public sealed class Mount
{
    internal Mount(MountTree tree, int id, Filesystem filesystem, DirectoryInode root, Mount? parent, DirectoryInode? mountpoint,
        uint flags, string source)
    {
        Tree = tree;
        Id = id;
        Filesystem = filesystem;
        Root = root;
        Parent = parent;
        Mountpoint = mountpoint;
        Flags = flags;
        Source = source;
    }

    /// <summary>The mount namespace this mount belongs to (stays set after it is detached).</summary>
    public MountTree Tree { get; }
    /// <summary>Unique among the trees copied from one another, increasing in mount order (/proc/self/mountinfo's mount ID).</summary>
    public int Id { get; }
    public Filesystem Filesystem { get; }
    /// <summary>The directory of Filesystem seen at the mountpoint.</summary>
    public DirectoryInode Root { get; }
    /// <summary>The mount this one is attached in; null for the tree's root mount.</summary>
    public Mount? Parent { get; internal set; }
    /// <summary>The directory of Parent this mount covers; null for the root mount.</summary>
    public DirectoryInode? Mountpoint { get; internal set; }
    /// <summary>MountFlags.MS_* bits (settable for remount).</summary>
    public uint Flags { get; set; }
    /// <summary>The device name /proc/mounts shows first ("tmpfs", "none", "/dev/vda").</summary>
    public string Source { get; }
    /// <summary>umount2's MNT_EXPIRE mark: the first MNT_EXPIRE request on an idle mount sets it
    /// (-EAGAIN), a second unmounts. Linux also clears it when the mount is used; nothing here does.</summary>
    public bool ExpiryMark { get; set; }
    /// <summary>Taken out of its tree by umount (MNT_DETACH leaves it in use by whoever was inside).
    /// Nothing may be mounted, unmounted or pivoted there any more (-EINVAL, Linux's check_mnt):
    /// a mount made inside it could never be reached or unmounted again.</summary>
    public bool Detached { get; internal set; }
    /// <summary>Mounts attached inside this one.</summary>
    internal List<Mount> Children { get; } = new List<Mount>();

    /// <summary>True when changes through this mount are refused: MS_RDONLY or a read-only superblock.</summary>
    public bool IsReadOnly => (Flags & MountFlags.MS_RDONLY) != 0 || Filesystem.ReadOnly;

    /// <summary>The options field of /proc/mounts (show_vfsmnt): "rw" or "ro" (the mount's or the
    /// superblock's), the mount's flags, then the filesystem's own options.</summary>
    public void AppendOptions(StringBuilder sb)
    {
        sb.Append(IsReadOnly ? "ro" : "rw");
        AppendFlags(sb);
        sb.Append(Filesystem.ShownOptions);
    }

    /// <summary>/proc/self/mountinfo's per-mount options (show_mountinfo): "rw" or "ro" of the
    /// mount itself, then its flags.</summary>
    public void AppendMountOptions(StringBuilder sb)
    {
        sb.Append((Flags & MountFlags.MS_RDONLY) != 0 ? "ro" : "rw");
        AppendFlags(sb);
    }

    /// <summary>/proc/self/mountinfo's super options: "rw" or "ro" of the superblock, then the
    /// filesystem's own options.</summary>
    public void AppendSuperOptions(StringBuilder sb)
    {
        sb.Append(Filesystem.ReadOnly ? "ro" : "rw");
        sb.Append(Filesystem.ShownOptions);
    }

    // show_mnt_opts's table order: nosuid, nodev, noexec, noatime, nodiratime, relatime (the
    // default whenever noatime is not set).
    private void AppendFlags(StringBuilder sb)
    {
        if ((Flags & MountFlags.MS_NOSUID) != 0)
            sb.Append(",nosuid");
        if ((Flags & MountFlags.MS_NODEV) != 0)
            sb.Append(",nodev");
        if ((Flags & MountFlags.MS_NOEXEC) != 0)
            sb.Append(",noexec");
        if ((Flags & MountFlags.MS_NOATIME) != 0)
            sb.Append(",noatime");
        if ((Flags & MountFlags.MS_NODIRATIME) != 0)
            sb.Append(",nodiratime");
        if ((Flags & MountFlags.MS_NOATIME) == 0)
            sb.Append(",relatime");
    }
}

// TmpfsOptions: the mount options tmpfs takes (Documentation/filesystems/tmpfs.rst):
// size (here in pages), nr_inodes, mode, uid, gid; 0 limits mean unlimited.
namespace Kevlar.Vfs.Filesystems;

/// <summary>Limits and root attributes for a new Tmpfs.</summary>
public sealed class TmpfsOptions
{
    /// <summary>size= in pages; 0 for no limit.</summary>
    public long MaxPages { get; set; }
    /// <summary>nr_inodes=; 0 for no limit.</summary>
    public long MaxInodes { get; set; }
    /// <summary>mode= of the root directory (default 1777).</summary>
    public uint RootMode { get; set; } = 0x3FF;
    /// <summary>uid= of the root directory.</summary>
    public uint RootUid { get; set; }
    /// <summary>gid= of the root directory.</summary>
    public uint RootGid { get; set; }
    /// <summary>Largest file (tmpfs: MAX_LFS_FILESIZE); smaller for tests of -EFBIG.</summary>
    public long MaxFileSize { get; set; } = long.MaxValue;
    /// <summary>Most links per inode; 0 (tmpfs's value) for no limit.</summary>
    public uint MaxLinks { get; set; }
    /// <summary>The budget shared with the other in-memory filesystems (null: none).</summary>
    public MemoryBudget? Budget { get; set; }
}

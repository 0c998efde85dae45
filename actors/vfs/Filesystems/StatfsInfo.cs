// StatfsInfo: struct statfs as Linux x86_64 fills it (statfs(2)); blocks are
// in units of Bsize, and a filesystem with no limit reports 0 for
// Blocks/Bfree/Bavail (and Files/Ffree), as tmpfs mounted with size=0 does.
namespace Kevlar.Vfs.Filesystems;

/// <summary>statfs(2)'s answer.</summary>
public struct StatfsInfo
{
    /// <summary>ST_VALID: f_flags is filled in (always set by Linux).</summary>
    public const long ST_VALID = 0x20;
    /// <summary>Mounted read-only.</summary>
    public const long ST_RDONLY = 1;
    /// <summary>Mounted nosuid.</summary>
    public const long ST_NOSUID = 2;
    /// <summary>Mounted nodev.</summary>
    public const long ST_NODEV = 4;
    /// <summary>Mounted noexec.</summary>
    public const long ST_NOEXEC = 8;

    /// <summary>f_type: the filesystem's magic.</summary>
    public long Type;
    /// <summary>f_bsize: optimal transfer block size.</summary>
    public long Bsize;
    /// <summary>f_blocks: total data blocks (0: no limit).</summary>
    public long Blocks;
    /// <summary>f_bfree: free blocks.</summary>
    public long Bfree;
    /// <summary>f_bavail: free blocks for unprivileged users.</summary>
    public long Bavail;
    /// <summary>f_files: total inodes (0: no limit).</summary>
    public long Files;
    /// <summary>f_ffree: free inodes.</summary>
    public long Ffree;
    /// <summary>f_fsid, as two ints.</summary>
    public int Fsid0, Fsid1;
    /// <summary>f_namelen: longest file name.</summary>
    public long Namelen;
    /// <summary>f_frsize: fragment size (= Bsize here).</summary>
    public long Frsize;
    /// <summary>f_flags: ST_VALID plus the mount's ST_* flags.</summary>
    public long Flags;
}

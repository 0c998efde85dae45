// Inode: what every file has, whatever its type — Linux's struct inode as
// stat(2) reports it (inode(7)). Subclasses hold the contents.
//
// Lifetime: an inode lives while a directory names it (LinkCount > 0) or an
// open file description holds it (OpenCount > 0). When both reach 0 it is
// evicted once: its contents are freed and its filesystem uncharged. A
// directory's LinkCount counts its name, its own "." and each child's "..",
// as tmpfs does (so an empty directory has 2 and rmdir drops it to 0).
using Kevlar.Vfs.Filesystems;

namespace Kevlar.Vfs.Inodes;

/// <summary>An inode: number, mode, owner, link and open counts, times.</summary>
public abstract class Inode
{
    private int _openCount;
    private bool _evicted;

    protected Inode(Filesystem filesystem, ulong number, uint mode, uint uid, uint gid)
    {
        Filesystem = filesystem;
        Number = number;
        Mode = mode;
        Uid = uid;
        Gid = gid;
        Timestamp now = filesystem.Now();
        Atime = now;
        Mtime = now;
        Ctime = now;
        Btime = now;
    }

    /// <summary>The file's flock and record locks, made at the first lock; owned, like the rest
    /// of the inode, by the actor that owns its filesystem.</summary>
    public Kevlar.Locks.FileLocks? Locks;

    /// <summary>The filesystem the inode belongs to.</summary>
    public Filesystem Filesystem { get; }
    /// <summary>st_ino: unique within the filesystem.</summary>
    public ulong Number { get; }
    /// <summary>st_mode: FileType.S_IF* plus the permission bits.</summary>
    public uint Mode { get; internal set; }
    /// <summary>The S_IF* type of Mode.</summary>
    public uint Type => FileType.Of(Mode);
    /// <summary>st_uid.</summary>
    public uint Uid { get; internal set; }
    /// <summary>st_gid.</summary>
    public uint Gid { get; internal set; }
    /// <summary>st_nlink.</summary>
    public uint LinkCount { get; internal set; }
    /// <summary>st_rdev: the device a device node names (0 for other types).</summary>
    public ulong RawDevice { get; internal set; }
    /// <summary>st_atime: last read.</summary>
    public Timestamp Atime { get; internal set; }
    /// <summary>st_mtime: last change of contents.</summary>
    public Timestamp Mtime { get; internal set; }
    /// <summary>st_ctime: last change of contents or attributes.</summary>
    public Timestamp Ctime { get; internal set; }
    /// <summary>statx stx_btime: creation.</summary>
    public Timestamp Btime { get; internal set; }
    /// <summary>st_size in bytes.</summary>
    public virtual long Size => 0;
    /// <summary>st_blocks: 512-byte units allocated.</summary>
    public virtual long Blocks512 => 0;

    /// <summary>An O_TMPFILE inode opened without O_EXCL: linkat may give it its first name
    /// although it has no links (Linux's I_LINKABLE); cleared once it has one.</summary>
    public bool Linkable { get; internal set; }

    /// <summary>What a generated filesystem (procfs) knows about the inode: for a file whose
    /// text is made when it is opened, how to make it. Null elsewhere.</summary>
    public object? Generator { get; set; }

    /// <summary>Open file descriptions holding the inode.</summary>
    public int OpenCount => _openCount;
    /// <summary>True once the inode has been freed (no links, no opens).</summary>
    public bool IsEvicted => _evicted;

    public bool IsDirectory => Type == FileType.S_IFDIR;

    /// <summary>Takes a reference for an open file description (or a cwd/root); pair with Release.</summary>
    public void Acquire() => _openCount++;

    /// <summary>Drops a reference from Acquire; the last one frees an unlinked inode.</summary>
    public void Release()
    {
        Kevlar.Runtime.Diagnostics.Kassert.True(_openCount > 0, "vfs: inode released more often than acquired");
        _openCount--;
        EvictIfUnused();
    }

    /// <summary>An access: Atime = now under Linux's default relatime rule — only when the old
    /// atime is not after mtime or ctime, or is a day old (relatime_need_update).</summary>
    public void TouchAccess()
    {
        Timestamp now = Filesystem.Now();
        if (Atime.CompareTo(Mtime) <= 0 || Atime.CompareTo(Ctime) <= 0 || now.Seconds - Atime.Seconds >= 24 * 60 * 60)
            Atime = now;
    }

    /// <summary>Mtime = Ctime = now (contents changed).</summary>
    public void TouchModify()
    {
        Timestamp now = Filesystem.Now();
        Mtime = now;
        Ctime = now;
    }

    /// <summary>Ctime = now (attributes changed).</summary>
    public void TouchChange() => Ctime = Filesystem.Now();

    /// <summary>Evicts the inode if no name and no open reference remain.</summary>
    internal void EvictIfUnused()
    {
        if (LinkCount != 0 || _openCount != 0 || _evicted)
            return;
        _evicted = true;
        FreeContents();
        Filesystem.ReleaseInode(this);
    }

    /// <summary>Frees what the inode's contents hold (pages); called once, at eviction.</summary>
    protected virtual void FreeContents()
    {
    }
}

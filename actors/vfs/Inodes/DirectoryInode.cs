// DirectoryInode: names to inodes, plus the parent (a directory has one name,
// since directories cannot be hard-linked). Enumeration is by cookie:
// ReadAt(position) gives the first entry whose cookie is at least position,
// and the caller continues from its Cookie + 1. Positions 0 and 1 are left to
// the caller for "." and ".." (tmpfs numbers them so), names start at 2.
//
// Removed names are marked and compacted away once they are more than half
// the list, so removal is amortised O(1) and lookup by cookie O(log n).
// Insert/Remove change no link counts or times: Operations does that.
using System.Collections.Generic;
using Kevlar.Vfs.Filesystems;

namespace Kevlar.Vfs.Inodes;

/// <summary>A directory: its entries in insertion order, and its parent.</summary>
public sealed class DirectoryInode : Inode
{
    /// <summary>The first cookie a name gets (0 and 1 are "." and "..").</summary>
    public const long FirstCookie = 2;
    /// <summary>Bytes of st_size per entry, as tmpfs counts (BOGO_DIRENT_SIZE).</summary>
    public const int BogoEntrySize = 20;

    private readonly Dictionary<string, DirectoryEntry> _byName = new Dictionary<string, DirectoryEntry>();
    private List<DirectoryEntry> _ordered = new List<DirectoryEntry>();
    private int _removedInOrdered;
    private long _nextCookie = FirstCookie;

    internal DirectoryInode(Filesystem filesystem, ulong number, uint mode, uint uid, uint gid)
        : base(filesystem, number, mode, uid, gid)
    {
        Parent = this;
        NameInParent = "";
    }

    /// <summary>The directory holding this one's name; itself for a filesystem root.</summary>
    public DirectoryInode Parent { get; internal set; }
    /// <summary>This directory's name in Parent ("" for a root).</summary>
    public string NameInParent { get; internal set; }
    /// <summary>Number of names (not counting "." and "..").</summary>
    public int Count => _byName.Count;
    public bool IsEmpty => _byName.Count == 0;
    /// <summary>A removed directory (rmdir'd, LinkCount 0): nothing may be created in it.</summary>
    public bool IsDead => LinkCount == 0;
    public override long Size => (long)_byName.Count * BogoEntrySize;

    /// <summary>The inode named <paramref name="name"/>, or null.</summary>
    public Inode? Lookup(string name) => _byName.TryGetValue(name, out DirectoryEntry? e) ? e.Inode : null;

    /// <summary>The first entry with Cookie ≥ <paramref name="position"/>, or false at the end.</summary>
    public bool ReadAt(long position, out DirectoryEntry? entry)
    {
        int lo = 0, hi = _ordered.Count;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (_ordered[mid].Cookie < position)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (int i = lo; i < _ordered.Count; i++)
        {
            if (!_ordered[i].Removed)
            {
                entry = _ordered[i];
                return true;
            }
        }
        entry = null;
        return false;
    }

    /// <summary>Adds a name (which must not exist) at the end of the order.</summary>
    internal void Insert(string name, Inode inode)
    {
        var entry = new DirectoryEntry(name, inode, _nextCookie++);
        _byName.Add(name, entry);
        _ordered.Add(entry);
    }

    /// <summary>Removes a name; returns its inode or null.</summary>
    internal Inode? Remove(string name)
    {
        if (!_byName.Remove(name, out DirectoryEntry? entry))
            return null;
        Inode removed = entry.Inode;
        entry.MarkRemoved();
        _removedInOrdered++;
        if (_removedInOrdered > 32 && _removedInOrdered * 2 > _ordered.Count)
            Compact();
        return removed;
    }

    /// <summary>Points an existing name at another inode, keeping its position (RENAME_EXCHANGE).</summary>
    internal void Replace(string name, Inode inode) => _byName[name].Inode = inode;

    private void Compact()
    {
        var live = new List<DirectoryEntry>(_byName.Count);
        for (int i = 0; i < _ordered.Count; i++)
            if (!_ordered[i].Removed)
                live.Add(_ordered[i]);
        _ordered = live;
        _removedInOrdered = 0;
    }
}

// RegularInode: a regular file's bytes as sparse 4 KiB pages. A page exists
// only once something was written into it; holes (no page, below Size) read
// as zeros. Pages are charged to the filesystem as they are allocated and
// uncharged when truncation or eviction frees them.
//
// Times: Read sets atime; Write sets mtime and ctime; Truncate sets them when
// the size changes or the caller asks (ftruncate and O_TRUNC always do).
using System;
using System.Collections.Generic;
using Kevlar.Vfs.Filesystems;

namespace Kevlar.Vfs.Inodes;

/// <summary>A regular file with sparse page storage.</summary>
public sealed class RegularInode : Inode
{
    /// <summary>Bytes per page of contents.</summary>
    public const int PageSize = 4096;

    private Dictionary<long, byte[]> _pages = new Dictionary<long, byte[]>();
    private long _size;

    internal RegularInode(Filesystem filesystem, ulong number, uint mode, uint uid, uint gid)
        : base(filesystem, number, mode, uid, gid)
    {
    }

    public override long Size => _size;

    /// <summary>Counts changes of the contents (writes, truncation, fallocate, hole punching):
    /// a copy made at one value is the file's contents while it holds (exec's image cache).
    /// Owned by the filesystem's actor, like the contents.</summary>
    public int ContentVersion { get; private set; }

    /// <summary>Pages allocated.</summary>
    public int PageCount => _pages.Count;
    public override long Blocks512 => (long)_pages.Count * (PageSize / 512);

    /// <summary>Copies bytes from <paramref name="offset"/> into <paramref name="buffer"/>; returns the count (0 at or past the end) or -EINVAL for a negative offset.</summary>
    public int Read(long offset, Span<byte> buffer)
    {
        if (offset < 0)
            return -Errno.EINVAL;
        TouchAccess();
        if (offset >= _size || buffer.IsEmpty)
            return 0;
        int count = (int)Math.Min(buffer.Length, _size - offset);
        int done = 0;
        while (done < count)
        {
            long pos = offset + done;
            int inPage = (int)(pos % PageSize);
            int n = Math.Min(count - done, PageSize - inPage);
            Span<byte> target = buffer.Slice(done, n);
            if (_pages.TryGetValue(pos / PageSize, out byte[]? page))
                new ReadOnlySpan<byte>(page, inPage, n).CopyTo(target);
            else
                target.Clear();
            done += n;
        }
        return count;
    }

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/>, growing Size.
    /// Returns bytes written (short when the filesystem's max file size or
    /// space runs out part way); -EFBIG when offset is at or past the max file
    /// size; -ENOSPC when no page could be allocated; -EINVAL for a negative offset.
    /// </summary>
    public int Write(long offset, ReadOnlySpan<byte> data)
    {
        if (offset < 0)
            return -Errno.EINVAL;
        if (data.IsEmpty)
            return 0;
        long max = Filesystem.MaxFileSize;
        if (offset >= max)
            return -Errno.EFBIG;
        int count = (int)Math.Min(data.Length, max - offset);
        int done = 0;
        while (done < count)
        {
            long pos = offset + done;
            int inPage = (int)(pos % PageSize);
            int n = Math.Min(count - done, PageSize - inPage);
            byte[]? page = PageFor(pos / PageSize);
            if (page == null)
                break;
            data.Slice(done, n).CopyTo(new Span<byte>(page, inPage, n));
            done += n;
        }
        if (done == 0)
            return -Errno.ENOSPC;
        if (offset + done > _size)
            _size = offset + done;
        ContentVersion++;
        TouchModify();
        return done;
    }

    /// <summary>
    /// Sets Size, freeing pages past it and zeroing the tail of the last one.
    /// 0, -EINVAL (negative), or -EFBIG (past the max file size). Mtime and
    /// ctime change when the size does, or always with <paramref name="touchAlways"/>.
    /// </summary>
    public int Truncate(long newSize, bool touchAlways)
    {
        if (newSize < 0)
            return -Errno.EINVAL;
        if (newSize > Filesystem.MaxFileSize)
            return -Errno.EFBIG;
        bool changed = newSize != _size;
        if (newSize < _size)
            FreeFrom(newSize);
        _size = newSize;
        if (changed)
            ContentVersion++;
        if (changed || touchAlways)
            TouchModify();
        return 0;
    }

    protected override void FreeContents()
    {
        FreeFrom(0);
        _size = 0;
        ContentVersion++;
    }

    /// <summary>
    /// fallocate(2)'s allocation (shmem_fallocate): a page for every page of [offset, end) that
    /// has none, charged as a write's; the size grows to <paramref name="end"/> unless
    /// <paramref name="keepSize"/>. 0, or -ENOSPC when the filesystem (or the budget it shares)
    /// runs out, with the pages this call added freed again and the size unchanged.
    /// </summary>
    public int Allocate(long offset, long end, bool keepSize)
    {
        var added = new List<long>();
        for (long index = offset / PageSize; index <= (end - 1) / PageSize; index++)
        {
            if (_pages.ContainsKey(index))
                continue;
            if (PageFor(index) == null)
            {
                for (int i = 0; i < added.Count; i++)
                    _pages.Remove(added[i]);
                if (added.Count > 0)
                    Filesystem.UnchargePages(added.Count);
                return -Errno.ENOSPC;
            }
            added.Add(index);
        }
        if (!keepSize && end > _size)
            _size = end;
        ContentVersion++;
        TouchModify();
        return 0;
    }

    /// <summary>
    /// FALLOC_FL_PUNCH_HOLE: [offset, end) reads as zeros afterwards; whole pages in it are
    /// freed (uncharged), the partial ones at its edges zeroed; nothing is allocated and the size
    /// stays.
    /// </summary>
    public void PunchHole(long offset, long end)
    {
        if (end > _size)
            end = _size;
        if (offset >= end)
            return;
        long firstWhole = (offset + PageSize - 1) / PageSize, pastWhole = end / PageSize;
        var gone = new List<long>();
        foreach (KeyValuePair<long, byte[]> pair in _pages)
        {
            long index = pair.Key;
            if (index >= firstWhole && index < pastWhole)
                gone.Add(index);
            else if (index * PageSize < end && (index + 1) * PageSize > offset)
            {
                long from = Math.Max(offset, index * PageSize), to = Math.Min(end, (index + 1) * PageSize);
                Array.Clear(pair.Value, (int)(from - index * PageSize), (int)(to - from));
            }
        }
        for (int i = 0; i < gone.Count; i++)
            _pages.Remove(gone[i]);
        if (gone.Count > 0)
            Filesystem.UnchargePages(gone.Count);
        ContentVersion++;
        TouchModify();
    }

    /// <summary>The page at <paramref name="index"/>, allocated (and charged) if absent; null when the filesystem is full.</summary>
    private byte[]? PageFor(long index)
    {
        if (_pages.TryGetValue(index, out byte[]? page))
            return page;
        if (!Filesystem.ChargePage())
            return null;
        page = new byte[PageSize];
        _pages.Add(index, page);
        return page;
    }

    /// <summary>Drops every page wholly at or past <paramref name="size"/> and zeroes the rest of the page it falls in.</summary>
    private void FreeFrom(long size)
    {
        long firstFreed = (size + PageSize - 1) / PageSize;
        int freed = 0;
        foreach (KeyValuePair<long, byte[]> pair in _pages)
        {
            if (pair.Key >= firstFreed)
            {
                _pages.Remove(pair.Key);
                freed++;
            }
        }
        if (freed > 0)
            Filesystem.UnchargePages(freed);
        // A dictionary never gives back its capacity: one that held a large file would keep it
        // (24 bytes a page) for as long as the emptied inode lives.
        if (_pages.Count == 0 && freed > 64)
            _pages = new Dictionary<long, byte[]>();
        int inPage = (int)(size % PageSize);
        if (inPage != 0 && _pages.TryGetValue(size / PageSize, out byte[]? last))
            Array.Clear(last, inPage, PageSize - inPage);
    }
}

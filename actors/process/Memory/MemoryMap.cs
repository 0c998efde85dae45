// MemoryMap: a process's memory map — the sorted, non-overlapping regions
// that exist and their rights — above the page tables that hold what is
// actually mapped now. Pages appear on first touch (demand zero); removing or
// narrowing a range updates the page tables at once.
//
// State: owned by the process (touched under its kernel lock, UserProcess.EnterKernel).
// Invariants: regions sorted by Start, non-overlapping, page-aligned, non-empty.
using System.Collections.Generic;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Memory;

public sealed class MemoryMap
{
    public const ulong PageSize = 4096;
    /// <summary>Where mmap places mappings without a hint: below the stack gap, growing down.</summary>
    public const ulong MmapTop = 0x0000_7F00_0000_0000;
    /// <summary>Top of the main thread's stack.</summary>
    public const ulong StackTop = 0x0000_7FFF_FFFF_F000;
    /// <summary>The stack's reserved span (RLIMIT_STACK default 8 MiB).</summary>
    public const ulong StackReserve = 8UL << 20;

    private readonly List<MemoryRegion> _regions = new List<MemoryRegion>();
    private readonly IPageTables _pages;

    public MemoryMap(IPageTables pages)
    {
        _pages = pages;
    }

    public IPageTables Pages => _pages;

    public int Count => _regions.Count;

    /// <summary>Bytes the regions span (/proc/[pid]/stat's vsize, VmSize); read from any CPU as
    /// a snapshot.</summary>
    public ulong MappedBytes => (ulong)System.Threading.Volatile.Read(ref _mappedBytes);
    private long _mappedBytes;

    private void Account(long delta) => System.Threading.Volatile.Write(ref _mappedBytes, _mappedBytes + delta);

    public MemoryRegion this[int i] => _regions[i];

    public static ulong PageDown(ulong a) => a & ~(PageSize - 1);

    /// <summary>Rounds up to a page; 0 when that would overflow.</summary>
    public static ulong PageUp(ulong a) => a > ulong.MaxValue - (PageSize - 1) ? 0 : (a + PageSize - 1) & ~(PageSize - 1);

    /// <summary>The region holding <paramref name="address"/>, or null.</summary>
    public MemoryRegion? Find(ulong address)
    {
        int lo = 0, hi = _regions.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            MemoryRegion r = _regions[mid];
            if (address < r.Start) hi = mid - 1;
            else if (address >= r.End) lo = mid + 1;
            else return r;
        }
        return null;
    }

    /// <summary>True when no region overlaps [start, end).</summary>
    public bool IsFree(ulong start, ulong end)
    {
        if (start < _pages.LowestUserAddress || end > _pages.UserEnd || end <= start) return false;
        for (int i = 0; i < _regions.Count; i++)
            if (_regions[i].Start < end && start < _regions[i].End) return false;
        return true;
    }

    /// <summary>Adds a region over a free range (callers check with IsFree or Remove first).</summary>
    public void Add(MemoryRegion region)
    {
        int i = 0;
        while (i < _regions.Count && _regions[i].Start < region.Start) i++;
        _regions.Insert(i, region);
        Account((long)(region.End - region.Start));
    }

    /// <summary>Bytes of [start, end) that regions cover (what MAP_FIXED there would replace); with
    /// <paramref name="dataOnly"/>, only Linux's data mappings (private, writable, not a stack:
    /// what RLIMIT_DATA counts).</summary>
    public ulong CoveredBytes(ulong start, ulong end, bool dataOnly = false)
    {
        ulong n = 0;
        for (int i = 0; i < _regions.Count; i++)
        {
            MemoryRegion r = _regions[i];
            if (dataOnly && !IsData(r.Protection, r.Shared, r.Kind)) continue;
            ulong from = r.Start > start ? r.Start : start, to = r.End < end ? r.End : end;
            if (from < to) n += to - from;
        }
        return n;
    }

    /// <summary>Whether a mapping counts as data for RLIMIT_DATA (Linux's is_data_mapping).</summary>
    public static bool IsData(PageProtection protection, bool shared, RegionKind kind)
        => (protection & PageProtection.Write) != 0 && !shared && kind != RegionKind.Stack;

    /// <summary>The highest free range of <paramref name="length"/> bytes below <paramref name="below"/>,
    /// or 0 when none.</summary>
    public ulong FindFree(ulong length, ulong below)
    {
        ulong top = below;
        for (int i = _regions.Count - 1; i >= -1; i--)
        {
            ulong floor = i >= 0 ? _regions[i].End : _pages.LowestUserAddress;
            if (i >= 0 && _regions[i].Start >= top) continue;
            if (floor <= top && top - floor >= length) return top - length;
            if (i >= 0) top = _regions[i].Start;
        }
        return 0;
    }

    /// <summary>Removes [start, end) from the map and unmaps its pages (munmap).</summary>
    public void Remove(ulong start, ulong end)
    {
        Split(start);
        Split(end);
        for (int i = _regions.Count - 1; i >= 0; i--)
        {
            MemoryRegion r = _regions[i];
            if (r.Start >= start && r.End <= end)
            {
                UnmapPages(r.Start, r.End);
                _regions.RemoveAt(i);
                Account(-(long)(r.End - r.Start));
            }
        }
    }

    /// <summary>Sets the rights of [start, end) (mprotect). -ENOMEM when part of it is not mapped.</summary>
    public int Protect(ulong start, ulong end, PageProtection protection)
    {
        if (!IsCovered(start, end)) return -Errno.ENOMEM;
        Split(start);
        Split(end);
        for (int i = 0; i < _regions.Count; i++)
        {
            MemoryRegion r = _regions[i];
            if (r.Start >= start && r.End <= end)
            {
                r.Protection = protection;
                for (ulong p = r.Start; p < r.End; p += PageSize)
                    if (_pages.Query(p) != PageState.NotMapped) _pages.Protect(p, protection);
            }
        }
        return 0;
    }

    /// <summary>True when every byte of [start, end) lies in some region.</summary>
    public bool IsCovered(ulong start, ulong end)
    {
        ulong at = start;
        while (at < end)
        {
            MemoryRegion? r = Find(at);
            if (r == null) return false;
            at = r.End;
        }
        return true;
    }

    /// <summary>Set by the last Touch that failed for want of a free frame, not of a right.</summary>
    public bool TouchFoundNoMemory { get; private set; }

    /// <summary>Makes the page holding <paramref name="address"/> present for an access of the
    /// given kind, as a page fault would; false when the access is not allowed (SIGSEGV) or
    /// no frame was free (TouchFoundNoMemory).</summary>
    public bool Touch(ulong address, bool write, bool execute)
    {
        TouchFoundNoMemory = false;
        MemoryRegion? r = Find(address);
        if (r == null) return false;
        if (write && (r.Protection & PageProtection.Write) == 0) return false;
        if (execute && (r.Protection & PageProtection.Execute) == 0) return false;
        // x86 pages cannot be write- or execute-only: any right lets a read through, as on Linux.
        if (!write && !execute && r.Protection == PageProtection.None) return false;
        ulong page = PageDown(address);
        PageState s = _pages.Query(page);
        bool made = true;
        if (s == PageState.NotMapped) made = _pages.MapZeroed(page, r.Protection);
        else if (write && s == PageState.CopyOnWrite) made = _pages.BreakCopyOnWrite(page);
        else return !write || s == PageState.Writable;
        TouchFoundNoMemory = !made;
        return made;
    }

    /// <summary>Before a fork: every page of every MAP_SHARED region is made present (and marked
    /// shared), so parent and child hold the same frames. Pages faulted in after the fork would
    /// otherwise be private to whoever touched them: with no shared memory object behind the
    /// region yet, sharing is settled at fork time. False when out of memory.</summary>
    public bool PrepareSharedForFork()
    {
        for (int i = 0; i < _regions.Count; i++)
        {
            MemoryRegion r = _regions[i];
            if (!r.Shared) continue;
            for (ulong p = r.Start; p < r.End; p += PageSize)
            {
                if (_pages.Query(p) == PageState.NotMapped && !_pages.MapZeroed(p, r.Protection)) return false;
                _pages.MarkShared(p);
            }
        }
        return true;
    }

    /// <summary>fork: the same regions over <paramref name="pages"/> (a copy-on-write clone of this map's tables).</summary>
    public MemoryMap CloneOnto(IPageTables pages)
    {
        var copy = new MemoryMap(pages);
        for (int i = 0; i < _regions.Count; i++) copy._regions.Add(_regions[i].CopyRange(_regions[i].Start, _regions[i].End));
        copy._mappedBytes = _mappedBytes;
        return copy;
    }

    /// <summary>Unmaps the pages of [start, end) but keeps the regions: the next touch reads zeros.</summary>
    public void DropPages(ulong start, ulong end) => UnmapPages(start, end);

    /// <summary>Copies the present pages of [from, from + length) to the same offsets at
    /// <paramref name="to"/> (a region already added there). False when out of memory.</summary>
    public bool CopyPages(ulong from, ulong to, ulong length)
    {
        var page = new byte[(int)PageSize];
        for (ulong off = 0; off < length; off += PageSize)
        {
            if (_pages.Query(from + off) == PageState.NotMapped) continue;
            MemoryRegion? r = Find(to + off);
            if (r == null || !_pages.MapZeroed(to + off, r.Protection)) return false;
            _pages.Read(from + off, page);
            _pages.Write(to + off, page);
        }
        return true;
    }

    /// <summary>Unmaps every page and forgets every region (exit and exec).</summary>
    public void Clear()
    {
        for (int i = 0; i < _regions.Count; i++) UnmapPages(_regions[i].Start, _regions[i].End);
        _regions.Clear();
        Account(-_mappedBytes);
    }

    // Splits the region containing at (if any) so that a region starts at at.
    private void Split(ulong at)
    {
        MemoryRegion? r = Find(at);
        if (r == null || r.Start == at) return;
        MemoryRegion tail = r.CopyRange(at, r.End);
        r.End = at;
        Add(tail);
    }

    private void UnmapPages(ulong start, ulong end)
    {
        for (ulong p = start; p < end; p += PageSize)
            if (_pages.Query(p) != PageState.NotMapped) _pages.Unmap(p);
    }
}

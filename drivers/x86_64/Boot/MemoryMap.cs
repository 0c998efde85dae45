// MemoryMap: the usable physical RAM, as sorted, disjoint, page-aligned
// ranges, built from the PVH memory map minus whatever the boot loader and
// the kernel still occupy.
using System;

namespace Kevlar.Drivers.X86_64.Boot;

/// <summary>
/// Usable RAM ranges. Invariants after every public call: ranges are sorted by
/// start, pairwise disjoint and non-adjacent (adjacent ranges are merged), page
/// aligned at both ends, and non-empty. Storage is one array allocated by the
/// constructor; nothing else allocates.
/// </summary>
public sealed class MemoryMap
{
    /// <summary>Page size the ranges are aligned to.</summary>
    public const ulong PageSize = 4096;
    /// <summary>A capacity for callers with no better figure (QEMU gives under 10 ranges).</summary>
    public const int DefaultCapacity = 64;

    private readonly MemoryRange[] _ranges;
    private int _count;

    /// <summary>Creates an empty map holding at most <paramref name="capacity"/> ranges.</summary>
    public MemoryMap(int capacity)
    {
        _ranges = new MemoryRange[capacity < 1 ? 1 : capacity];
        _count = 0;
    }

    /// <summary>Number of ranges.</summary>
    public int Count => _count;

    /// <summary>Range <paramref name="index"/>, 0 &lt;= index &lt; Count, in address order.</summary>
    public MemoryRange this[int index] => _ranges[index];

    /// <summary>Sum of the lengths of all ranges.</summary>
    public ulong TotalBytes
    {
        get
        {
            ulong total = 0;
            for (int i = 0; i < _count; i++)
                total += _ranges[i].Length;
            return total;
        }
    }

    /// <summary>
    /// Builds the usable map from the PVH memory map: adds every RAM entry,
    /// removes every other entry (firmware maps may overlap), removes the
    /// start info, the memory map, module list, command line and each module,
    /// then shrinks each range inward to page boundaries. The caller still
    /// removes the kernel image and low memory with <see cref="Subtract"/>.
    /// Errors: NoMemoryMap, ReadFailed, TooManyRanges.
    /// </summary>
    public static MemoryMapError TryBuildFromPvh(IPhysicalMemoryReader memory, in PvhStartInfo info, MemoryMap map)
    {
        if (info.MemoryMapAddress == 0 || info.MemoryMapEntryCount == 0)
            return MemoryMapError.NoMemoryMap;
        MemoryMapError result = AddEntries(memory, info, map, true);
        MemoryMapError removed = AddEntries(memory, info, map, false);
        if (removed == MemoryMapError.ReadFailed)
            return removed;
        MemoryMapError boot = SubtractBootData(memory, info, map);
        if (boot != MemoryMapError.None)
            return boot;
        map.AlignInward();
        return result != MemoryMapError.None ? result : removed;
    }

    /// <summary>Adds (usable) or subtracts (all other types) the PVH entries of one kind.</summary>
    private static MemoryMapError AddEntries(IPhysicalMemoryReader memory, in PvhStartInfo info, MemoryMap map, bool usable)
    {
        MemoryMapError result = MemoryMapError.None;
        for (int i = 0; i < (int)info.MemoryMapEntryCount; i++)
        {
            if (info.TryReadMemoryMapEntry(memory, i, out PvhMemoryMapEntry entry) != PvhError.None)
                return MemoryMapError.ReadFailed;
            if (entry.Length == 0 || (entry.Type == PvhMemoryMapEntry.TypeRam) != usable)
                continue;
            MemoryMapError e = usable
                ? map.AddRaw(entry.Address, entry.Length)
                : map.Subtract(entry.Address, entry.Length);
            if (e != MemoryMapError.None)
                result = e;
        }
        return result;
    }

    /// <summary>Removes what the loader placed in RAM: the start info, its tables and the modules.</summary>
    private static MemoryMapError SubtractBootData(IPhysicalMemoryReader memory, in PvhStartInfo info, MemoryMap map)
    {
        map.Subtract(info.Address, (ulong)info.ByteSize);
        map.Subtract(info.MemoryMapAddress, (ulong)info.MemoryMapEntryCount * PvhMemoryMapEntry.Size);
        map.Subtract(info.ModuleListAddress, (ulong)info.ModuleCount * PvhModule.Size);
        // Command lines are short; a page from their start covers them.
        if (info.CommandLineAddress != 0)
            map.Subtract(info.CommandLineAddress, PageSize);
        for (int i = 0; i < (int)info.ModuleCount; i++)
        {
            if (info.TryReadModule(memory, i, out PvhModule module) != PvhError.None)
                return MemoryMapError.ReadFailed;
            map.Subtract(module.Address, module.Length);
            if (module.CommandLineAddress != 0)
                map.Subtract(module.CommandLineAddress, PageSize);
        }
        return MemoryMapError.None;
    }

    /// <summary>
    /// Adds usable RAM [start, start+length), shrunk inward to whole pages,
    /// merging with neighbours. Error: TooManyRanges (the range is dropped).
    /// </summary>
    public MemoryMapError Add(ulong start, ulong length)
    {
        ulong end = ClampedEnd(start, length);
        ulong alignedStart = AlignUp(start);
        ulong alignedEnd = AlignDown(end);
        if (alignedStart >= alignedEnd || alignedStart < start)
            return MemoryMapError.None;
        return AddRaw(alignedStart, alignedEnd - alignedStart);
    }

    /// <summary>
    /// Removes [start, start+length), grown outward to whole pages, from every
    /// range; a range may split in two. Error: TooManyRanges (a split that did
    /// not fit dropped the upper part).
    /// </summary>
    public MemoryMapError Subtract(ulong start, ulong length)
    {
        if (length == 0)
            return MemoryMapError.None;
        ulong end = AlignUpSaturating(ClampedEnd(start, length));
        start = AlignDown(start);
        MemoryMapError result = MemoryMapError.None;
        int i = 0;
        while (i < _count)
        {
            MemoryRange r = _ranges[i];
            if (r.End <= start || r.Start >= end)
            {
                i++;
                continue;
            }
            bool keepLow = r.Start < start;
            bool keepHigh = r.End > end;
            if (keepLow && keepHigh)
            {
                _ranges[i] = new MemoryRange(r.Start, start);
                if (!InsertAt(i + 1, new MemoryRange(end, r.End)))
                    result = MemoryMapError.TooManyRanges;
                i += 2;
            }
            else if (keepLow)
            {
                _ranges[i] = new MemoryRange(r.Start, start);
                i++;
            }
            else if (keepHigh)
            {
                _ranges[i] = new MemoryRange(end, r.End);
                i++;
            }
            else
            {
                RemoveAt(i);
            }
        }
        return result;
    }

    /// <summary>Adds [start, start+length) without alignment, keeping order and merging.</summary>
    private MemoryMapError AddRaw(ulong start, ulong length)
    {
        ulong end = ClampedEnd(start, length);
        if (end <= start)
            return MemoryMapError.None;
        int i = 0;
        while (i < _count && _ranges[i].End < start)
            i++;
        // Every range from i on that touches or overlaps [start, end) folds into it.
        int j = i;
        while (j < _count && _ranges[j].Start <= end)
        {
            start = Math.Min(start, _ranges[j].Start);
            end = Math.Max(end, _ranges[j].End);
            j++;
        }
        if (j > i)
        {
            _ranges[i] = new MemoryRange(start, end);
            for (int k = j - 1; k > i; k--)
                RemoveAt(k);
            return MemoryMapError.None;
        }
        return InsertAt(i, new MemoryRange(start, end)) ? MemoryMapError.None : MemoryMapError.TooManyRanges;
    }

    /// <summary>Shrinks every range to whole pages, dropping ranges left empty.</summary>
    private void AlignInward()
    {
        int i = 0;
        while (i < _count)
        {
            ulong s = AlignUp(_ranges[i].Start);
            ulong e = AlignDown(_ranges[i].End);
            if (s >= e || s < _ranges[i].Start)
            {
                RemoveAt(i);
                continue;
            }
            _ranges[i] = new MemoryRange(s, e);
            i++;
        }
    }

    private bool InsertAt(int index, MemoryRange range)
    {
        if (_count == _ranges.Length)
            return false;
        for (int k = _count; k > index; k--)
            _ranges[k] = _ranges[k - 1];
        _ranges[index] = range;
        _count++;
        return true;
    }

    private void RemoveAt(int index)
    {
        for (int k = index; k < _count - 1; k++)
            _ranges[k] = _ranges[k + 1];
        _count--;
    }

    /// <summary>start + length, saturating at the top of the address space.</summary>
    private static ulong ClampedEnd(ulong start, ulong length)
    {
        ulong end = start + length;
        return end < start ? ulong.MaxValue : end;
    }

    private static ulong AlignDown(ulong value) => value & ~(PageSize - 1);

    /// <summary>Rounds up; wraps to 0 at the top, which callers detect as result &lt; value.</summary>
    private static ulong AlignUp(ulong value) => (value + PageSize - 1) & ~(PageSize - 1);

    private static ulong AlignUpSaturating(ulong value)
    {
        ulong up = AlignUp(value);
        return up < value ? ulong.MaxValue : up;
    }
}

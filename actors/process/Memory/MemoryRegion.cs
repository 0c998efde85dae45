// MemoryRegion: one mapping of a process's memory map (a VMA): [Start, End),
// page-aligned, with the rights user code has and what backs it.
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Memory;

public sealed class MemoryRegion
{
    public ulong Start;
    public ulong End;
    public PageProtection Protection;
    public RegionKind Kind;
    /// <summary>Name shown by /proc/pid/maps ("[heap]", "[stack]", a path), or null.</summary>
    public string? Name;
    /// <summary>MAP_SHARED: a fork shares the pages as they are, so writes are seen by both.</summary>
    public bool Shared;

    public MemoryRegion(ulong start, ulong end, PageProtection protection, RegionKind kind, string? name)
    {
        Start = start;
        End = end;
        Protection = protection;
        Kind = kind;
        Name = name;
    }

    public bool Contains(ulong address) => address >= Start && address < End;

    public MemoryRegion CopyRange(ulong start, ulong end) => new MemoryRegion(start, end, Protection, Kind, Name) { Shared = Shared };
}

/// <summary>What backs a region: anonymous zero-fill memory, the heap (brk), a stack
/// that grows down, or an image loaded at exec.</summary>
public enum RegionKind
{
    Anonymous,
    Heap,
    Stack,
    Image,
}

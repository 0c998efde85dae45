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
    /// <summary>For an image loaded at exec: the file's offset, device and inode (/proc/pid/maps).</summary>
    public ulong FileOffset, FileDevice, FileInode;

    public MemoryRegion(ulong start, ulong end, PageProtection protection, RegionKind kind, string? name)
    {
        Start = start;
        End = end;
        Protection = protection;
        Kind = kind;
        Name = name;
    }

    public bool Contains(ulong address) => address >= Start && address < End;

    /// <summary>The part [start, end) of this region, with the same rights and backing (a later file offset).</summary>
    public MemoryRegion CopyRange(ulong start, ulong end) => new MemoryRegion(start, end, Protection, Kind, Name)
    {
        Shared = Shared,
        FileOffset = Kind == RegionKind.Image ? FileOffset + (start - Start) : 0,
        FileDevice = FileDevice,
        FileInode = FileInode,
    };
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

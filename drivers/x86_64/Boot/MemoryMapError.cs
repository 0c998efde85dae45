// MemoryMapError: why a usable-RAM map could not be built.
namespace Kevlar.Drivers.X86_64.Boot;

/// <summary>Result of building or editing a <see cref="MemoryMap"/>.</summary>
public enum MemoryMapError
{
    /// <summary>Success.</summary>
    None = 0,
    /// <summary>More disjoint ranges than the map's capacity; the excess was dropped.</summary>
    TooManyRanges,
    /// <summary>The PVH memory map or a structure it names could not be read.</summary>
    ReadFailed,
    /// <summary>The start info carries no memory map (version 0, or zero entries).</summary>
    NoMemoryMap,
}

// HeapCensusEntry: the live objects of one type after a collection that took
// a census (/proc/kevlar/heap). The type is its MethodTable's address, which
// the image's symbols name (_ZTV... in kernel.elf; qemu/heap-census.sh).
namespace Kevlar.Runtime.Diagnostics;

public struct HeapCensusEntry
{
    /// <summary>The MethodTable's address; 0 for objects of types past the census table's capacity.</summary>
    public ulong MethodTable;
    public long Objects;
    /// <summary>Bytes of their cells (whole blocks for large objects), as the live figures count them.</summary>
    public ulong Bytes;
}

// ElfSegment: one PT_LOAD program header of an executable, as exec maps it
// (gABI ch. 5 "Program Header"): file bytes [FileOffset, +FileSize) appear at
// [VirtualAddress, +FileSize) and the rest up to MemorySize is zero.
namespace Kevlar.Process.Exec;

/// <summary>A loadable segment. Addresses are unbiased: a PIE's caller adds its load bias.</summary>
public readonly struct ElfSegment
{
    public ElfSegment(ulong virtualAddress, ulong memorySize, ulong fileOffset, ulong fileSize, uint flags, ulong alignment)
    {
        VirtualAddress = virtualAddress;
        MemorySize = memorySize;
        FileOffset = fileOffset;
        FileSize = fileSize;
        Flags = flags;
        Alignment = alignment;
    }

    /// <summary>p_vaddr: where the segment's first byte goes.</summary>
    public ulong VirtualAddress { get; }
    /// <summary>p_memsz: bytes in memory; at least FileSize.</summary>
    public ulong MemorySize { get; }
    /// <summary>p_offset: where the segment's bytes start in the file.</summary>
    public ulong FileOffset { get; }
    /// <summary>p_filesz: bytes taken from the file; the parser checked they lie inside it.</summary>
    public ulong FileSize { get; }
    /// <summary>p_flags: PF_R, PF_W, PF_X bits.</summary>
    public uint Flags { get; }
    /// <summary>p_align: 0, 1 or a power of two.</summary>
    public ulong Alignment { get; }

    /// <summary>PF_R is set.</summary>
    public bool Readable => (Flags & ElfConstants.PF_R) != 0;
    /// <summary>PF_W is set.</summary>
    public bool Writable => (Flags & ElfConstants.PF_W) != 0;
    /// <summary>PF_X is set.</summary>
    public bool Executable => (Flags & ElfConstants.PF_X) != 0;
    /// <summary>First byte past the segment in memory (VirtualAddress + MemorySize; checked not to overflow).</summary>
    public ulong EndAddress => VirtualAddress + MemorySize;
}

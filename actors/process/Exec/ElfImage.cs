// ElfImage: what exec needs to know about an ELF64 x86_64 executable, taken
// from its ELF header and program headers. Parsing and its checks are in
// ElfImage.Parse.cs; "#!" scripts in ElfImage.Script.cs. Immutable once
// parsed. Addresses are as linked: for a PIE (IsPositionIndependent) the
// caller picks a load bias and adds it to every address here.
namespace Kevlar.Process.Exec;

/// <summary>A checked executable: entry, loadable segments, interpreter, stack and TLS.</summary>
public sealed partial class ElfImage
{
    private ElfImage(ElfSegment[] segments)
    {
        Segments = segments;
    }

    /// <summary>e_type is ET_DYN (a PIE or a shared object run directly, such as ld.so).</summary>
    public bool IsPositionIndependent { get; private set; }

    /// <summary>e_entry: the first instruction (of the program itself, not of its interpreter).</summary>
    public ulong Entry { get; private set; }

    /// <summary>The PT_LOAD segments in file order; at least one, none overlapping in memory.</summary>
    public ElfSegment[] Segments { get; }

    /// <summary>
    /// Where the program headers are in memory (for AT_PHDR): PT_PHDR's
    /// p_vaddr, else the address of e_phoff inside the PT_LOAD that covers it,
    /// else 0.
    /// </summary>
    public ulong ProgramHeaderAddress { get; private set; }

    /// <summary>e_phnum (for AT_PHNUM); AT_PHENT is ElfConstants.Elf64PhdrSize.</summary>
    public int ProgramHeaderCount { get; private set; }

    /// <summary>The PT_INTERP path (the dynamic loader), or null for a static program.</summary>
    public string? Interpreter { get; private set; }

    /// <summary>PT_GNU_STACK asks for an executable stack (PF_X). Without PT_GNU_STACK an x86_64 stack is not executable.</summary>
    public bool ExecutableStack { get; private set; }

    /// <summary>Lowest PT_LOAD address, rounded down to a page.</summary>
    public ulong LowestAddress { get; private set; }

    /// <summary>End of the highest PT_LOAD, rounded up to a page; HighestAddress - LowestAddress is the span to reserve.</summary>
    public ulong HighestAddress { get; private set; }

    /// <summary>PT_TLS p_vaddr: the TLS initialisation image, or 0 when there is no PT_TLS.</summary>
    public ulong TlsAddress { get; private set; }

    /// <summary>PT_TLS p_memsz: bytes of TLS per thread, or 0.</summary>
    public ulong TlsSize { get; private set; }
}

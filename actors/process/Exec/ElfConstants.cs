// ElfConstants: the ELF64 numbers exec needs, with the gABI's names
// (System V gABI ch. 4 "Object Files" and ch. 5 "Program Loading"; the GNU
// extension PT_GNU_STACK from Linux include/uapi/linux/elf.h).
namespace Kevlar.Process.Exec;

/// <summary>ELF64 identification, header, program header and loader constants.</summary>
public static class ElfConstants
{
    /// <summary>e_ident[EI_CLASS]: 64-bit objects.</summary>
    public const byte ELFCLASS64 = 2;
    /// <summary>e_ident[EI_DATA]: two's complement, little-endian.</summary>
    public const byte ELFDATA2LSB = 1;
    /// <summary>Index of the class byte in e_ident.</summary>
    public const int EI_CLASS = 4;
    /// <summary>Index of the data-encoding byte in e_ident.</summary>
    public const int EI_DATA = 5;

    /// <summary>e_type: executable file.</summary>
    public const ushort ET_EXEC = 2;
    /// <summary>e_type: shared object, which is what a PIE is.</summary>
    public const ushort ET_DYN = 3;
    /// <summary>e_machine: AMD x86-64.</summary>
    public const ushort EM_X86_64 = 62;

    /// <summary>p_type: unused entry.</summary>
    public const uint PT_NULL = 0;
    /// <summary>p_type: loadable segment.</summary>
    public const uint PT_LOAD = 1;
    /// <summary>p_type: dynamic linking information.</summary>
    public const uint PT_DYNAMIC = 2;
    /// <summary>p_type: path of the program interpreter.</summary>
    public const uint PT_INTERP = 3;
    /// <summary>p_type: auxiliary notes.</summary>
    public const uint PT_NOTE = 4;
    /// <summary>p_type: the program header table itself.</summary>
    public const uint PT_PHDR = 6;
    /// <summary>p_type: thread-local storage template.</summary>
    public const uint PT_TLS = 7;
    /// <summary>p_type (GNU): stack permissions in p_flags.</summary>
    public const uint PT_GNU_STACK = 0x6474E551;

    /// <summary>p_flags: execute.</summary>
    public const uint PF_X = 1;
    /// <summary>p_flags: write.</summary>
    public const uint PF_W = 2;
    /// <summary>p_flags: read.</summary>
    public const uint PF_R = 4;

    /// <summary>sizeof(Elf64_Ehdr).</summary>
    public const int Elf64EhdrSize = 64;
    /// <summary>sizeof(Elf64_Phdr); e_phentsize must equal it.</summary>
    public const int Elf64PhdrSize = 56;

    /// <summary>Page size segments are mapped with (Linux ELF_EXEC_PAGESIZE on x86_64).</summary>
    public const ulong ElfExecPageSize = 4096;
    /// <summary>End (exclusive) of the user half of the 4-level x86_64 address space.</summary>
    public const ulong UserAddressLimit = 0x0000_8000_0000_0000;
    /// <summary>Most program headers exec accepts.</summary>
    public const int MaxProgramHeaders = 64;
    /// <summary>Longest PT_INTERP path, NUL included (Linux PATH_MAX).</summary>
    public const int MaxInterpreterLength = 4096;
}

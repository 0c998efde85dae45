// ElfError: why a file could not be read as an x86_64-style ELF64 object.
namespace Kevlar.Elf;

/// <summary>Result of parsing an ELF file.</summary>
public enum ElfError
{
    /// <summary>Success.</summary>
    None = 0,
    /// <summary>The file could not be read from disk.</summary>
    IoError,
    /// <summary>Shorter than the 64-byte ELF64 header.</summary>
    TooSmall,
    /// <summary>No "\x7fELF" at the start.</summary>
    BadMagic,
    /// <summary>ELFCLASS32 or an unknown class: only ELF64 is read.</summary>
    NotElf64,
    /// <summary>Big-endian or unknown data encoding.</summary>
    NotLittleEndian,
    /// <summary>Header fields are inconsistent (entry sizes, version, header size).</summary>
    BadHeader,
    /// <summary>The section or program header table lies outside the file.</summary>
    HeaderTableOutOfRange,
    /// <summary>A section's bytes, or a link between sections, lie outside the file or table.</summary>
    SectionOutOfRange,
    /// <summary>The symbol table's entry size or string table is unusable.</summary>
    BadSymbolTable,
}

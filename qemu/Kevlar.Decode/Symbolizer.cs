// Symbolizer: addresses to "symbol+0xoff" against the kernel ELF, with the
// readable form of ilc names alongside. Works (printing nothing) without an ELF.
using Kevlar.Elf;

namespace Kevlar.Decode;

/// <summary>Address formatting for the report.</summary>
public sealed class Symbolizer
{
    private readonly ElfFile? _elf;

    /// <summary>Uses <paramref name="elf"/>'s symbols; null gives bare addresses.</summary>
    public Symbolizer(ElfFile? elf) => _elf = elf;

    /// <summary>The ELF, if any.</summary>
    public ElfFile? Elf => _elf;

    /// <summary>"0x" and 16 hex digits.</summary>
    public static string Hex(ulong value) => "0x" + value.ToString("x16");

    /// <summary>True when <paramref name="address"/> is in an executable section of the ELF.</summary>
    public bool IsCode(ulong address) => _elf != null && _elf.IsCodeAddress(address);

    /// <summary>"name+0xoff" for a code address, or null.</summary>
    public string? Function(ulong address) => _elf?.Functions.Format(address);

    /// <summary>"name+0xoff (Readable.Form)" for a code address, or null.</summary>
    public string? Describe(ulong address)
    {
        if (_elf == null || !_elf.Functions.TryLookup(address, out ElfSymbol? symbol, out ulong offset))
            return null;
        string text = offset == 0 ? symbol!.Name : symbol!.Name + "+0x" + offset.ToString("x");
        string? readable = SymbolNames.Readable(symbol.Name);
        return readable == null ? text : text + " (" + readable + ")";
    }

    /// <summary>"name+0xoff" for a data object, or null.</summary>
    public string? DataObject(ulong address) => _elf?.DataObjects.Format(address);
}

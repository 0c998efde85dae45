// ElfSymbolResolver: lets Iced's formatter print branch targets and
// RIP-relative operands as kernel symbols.
using Iced.Intel;

namespace Kevlar.Decode;

/// <summary>Iced symbol resolver over the kernel ELF's symbol tables.</summary>
internal sealed class ElfSymbolResolver : ISymbolResolver
{
    private readonly Symbolizer _symbols;

    public ElfSymbolResolver(Symbolizer symbols) => _symbols = symbols;

    /// <summary>The Intel-syntax formatter every part of the report uses: 0x-prefixed lower-case hex, absolute addresses.</summary>
    public static IntelFormatter CreateFormatter(Symbolizer symbols)
    {
        var formatter = new IntelFormatter(new ElfSymbolResolver(symbols));
        formatter.Options.HexPrefix = "0x";
        formatter.Options.HexSuffix = null;
        formatter.Options.UppercaseHex = false;
        formatter.Options.SpaceAfterOperandSeparator = true;
        formatter.Options.ShowBranchSize = false;
        formatter.Options.RipRelativeAddresses = false;
        return formatter;
    }

    public bool TryGetSymbol(in Instruction instruction, int operand, int instructionOperand, ulong address, int addressSize, out SymbolResult symbol)
    {
        symbol = default;
        if (_symbols.Elf == null || address < 0x1000)
            return false;
        var functions = _symbols.Elf.Functions;
        if (functions.TryLookup(address, out var f, out _))
        {
            symbol = new SymbolResult(f!.Value, f.Name);
            return true;
        }
        if (_symbols.Elf.DataObjects.TryLookup(address, out var d, out _))
        {
            symbol = new SymbolResult(d!.Value, d.Name);
            return true;
        }
        return false;
    }
}

// The stub blob being built: machine code pieces assembled by Iced at their
// final addresses (the blob is linked at a fixed address, so 32- and 16-bit
// code can use absolute addresses), plus the symbols and relocations ld needs.
using Iced.Intel;

namespace Kevlar.StubGen;

public sealed class StubImage
{
    /// <summary>The link address of the blob's section; the linker script puts it here.</summary>
    public const ulong Base = 0x100000;

    private readonly MemoryStream _code = new();
    public List<ElfSymbol> Symbols { get; } = new();
    public List<ElfRelocation> Relocations { get; } = new();

    public ulong Here => Base + (ulong)_code.Length;
    public byte[] Code => _code.ToArray();

    /// <summary>Assembles a piece at the current address and returns the label resolver.</summary>
    public AssembledPiece Add(Assembler asm)
    {
        ulong at = Here;
        var writer = new StreamCodeWriter(_code);
        var result = asm.Assemble(writer, at, BlockEncoderOptions.ReturnNewInstructionOffsets);
        return new AssembledPiece(this, result);
    }

    /// <summary>Appends raw bytes, optionally naming their start.</summary>
    public ulong AddData(byte[] bytes, string? symbol = null)
    {
        ulong at = Here;
        if (symbol != null) Symbols.Add(new ElfSymbol(symbol, (int)(at - Base), false));
        _code.Write(bytes);
        return at;
    }

    public void PadTo(ulong address)
    {
        if (Here > address) throw new InvalidOperationException($"stub piece overflows 0x{address:x} (at 0x{Here:x})");
        while (Here < address) _code.WriteByte(0xCC);
    }

    public void Align(int alignment)
    {
        while (_code.Length % alignment != 0) _code.WriteByte(0xCC);
    }
}

public sealed class AssembledPiece(StubImage image, AssemblerResult result)
{
    public ulong Address(Label label) => result.GetLabelRIP(label);

    public void Export(string name, Label label, bool function = true)
        => image.Symbols.Add(new ElfSymbol(name, (int)(Address(label) - StubImage.Base), function));

    /// <summary>Marks an 8-byte slot to be filled by ld with the address of an external symbol.</summary>
    public void Relocate(Label slot, string symbol)
        => image.Relocations.Add(new ElfRelocation((int)(Address(slot) - StubImage.Base), symbol));
}

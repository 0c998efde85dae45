// CodeDisassembler: decodes the panic's code bytes with Iced. The window
// starts 16 bytes before rip, possibly mid-instruction, so it picks the start
// offset whose instruction stream lands exactly on rip: the containing
// function's start when it lies in the window, else the offset (0..15) with
// the fewest invalid instructions before rip, then the earliest.
using System;
using System.Collections.Generic;
using Iced.Intel;

namespace Kevlar.Decode;

/// <summary>Intel-syntax disassembly of a code window around a faulting rip.</summary>
public sealed class CodeDisassembler
{
    private readonly Symbolizer _symbols;
    private readonly IntelFormatter _formatter;

    public CodeDisassembler(Symbolizer symbols)
    {
        _symbols = symbols;
        _formatter = ElfSymbolResolver.CreateFormatter(symbols);
    }

    /// <summary>
    /// Decodes <paramref name="code"/> (which starts at <paramref name="codeAddress"/>)
    /// and marks the instruction at <paramref name="rip"/>. When no start
    /// offset lands on rip (or rip is outside the window), decodes from the
    /// start and marks nothing.
    /// </summary>
    public List<DisassembledLine> Disassemble(byte[] code, ulong codeAddress, ulong rip)
    {
        int start = ChooseStart(code, codeAddress, rip);
        return Decode(code, codeAddress, Math.Max(start, 0), rip);
    }

    /// <summary>The start offset that lands on rip, or -1 if none does.</summary>
    public int ChooseStart(byte[] code, ulong codeAddress, ulong rip)
    {
        if (rip < codeAddress || rip - codeAddress >= (ulong)code.Length)
            return -1;
        int ripOffset = (int)(rip - codeAddress);
        if (_symbols.Elf != null && _symbols.Elf.Functions.TryLookup(rip, out var f, out _)
            && f!.Value >= codeAddress && f.Value <= rip && Lands(code, codeAddress, (int)(f.Value - codeAddress), ripOffset, out _))
            return (int)(f.Value - codeAddress);
        int best = -1, bestInvalid = int.MaxValue;
        for (int off = 0; off <= Math.Min(15, ripOffset); off++)
        {
            if (Lands(code, codeAddress, off, ripOffset, out int invalid) && invalid < bestInvalid)
            {
                best = off;
                bestInvalid = invalid;
            }
        }
        return best;
    }

    /// <summary>True when decoding from <paramref name="start"/> has an instruction beginning at <paramref name="target"/>.</summary>
    private static bool Lands(byte[] code, ulong codeAddress, int start, int target, out int invalid)
    {
        invalid = 0;
        int at = start;
        while (at < target)
        {
            DecodeOne(code, codeAddress, at, out Instruction instr, out int length, out _);
            if (instr.IsInvalid)
                invalid++;
            at += length;
        }
        return at == target;
    }

    /// <summary>
    /// Decodes the instruction at offset <paramref name="at"/>. An invalid
    /// encoding counts as one byte, "(bad)", as objdump shows it; one cut off
    /// by the end of the window takes the rest of it.
    /// </summary>
    private static void DecodeOne(byte[] code, ulong codeAddress, int at, out Instruction instr, out int length, out bool truncated)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code, at, code.Length - at), codeAddress + (ulong)at);
        decoder.Decode(out instr);
        truncated = instr.IsInvalid && decoder.LastError == DecoderError.NoMoreBytes;
        if (truncated)
            length = code.Length - at;
        else
            length = instr.IsInvalid ? 1 : instr.Length;
    }

    private List<DisassembledLine> Decode(byte[] code, ulong codeAddress, int start, ulong rip)
    {
        var lines = new List<DisassembledLine>();
        var output = new StringOutput();
        int at = start;
        while (at < code.Length)
        {
            DecodeOne(code, codeAddress, at, out Instruction instr, out int length, out bool truncated);
            string text;
            if (instr.IsInvalid)
            {
                text = truncated ? "(truncated)" : "(bad)";
            }
            else
            {
                _formatter.Format(instr, output);
                text = output.ToStringAndReset();
            }
            var bytes = new byte[length];
            Array.Copy(code, at, bytes, 0, length);
            ulong address = codeAddress + (ulong)at;
            lines.Add(new DisassembledLine(address, bytes, text, address == rip));
            at += length;
        }
        return lines;
    }
}

// The stub blob as the generator lays it out, with the lookups the tests
// share: symbol addresses, relocated slots, and decoding a piece of code with
// Iced until a terminating instruction.
using System;
using System.Collections.Generic;
using System.Linq;
using Iced.Intel;
using Xunit;

namespace Kevlar.StubGen.Tests;

public static class GeneratedStubs
{
    /// <summary>Stands in for the vDSO the image build passes (bytes are bytes to the layout).</summary>
    public static readonly byte[] FakeVdso = new byte[100];

    private static readonly Lazy<StubImage> s_image = new(() => StubBuilder.Layout(FakeVdso));
    private static readonly Lazy<byte[]> s_code = new(() => s_image.Value.Code);

    public static StubImage Image => s_image.Value;
    public static byte[] Blob => s_code.Value;
    public static ulong Base => StubImage.Base;
    public static ulong End => Base + (ulong)Blob.Length;

    /// <summary>The link address of a symbol the generator defines (fails the test when missing).</summary>
    public static ulong Address(string symbol)
    {
        var s = Image.Symbols.SingleOrDefault(x => x.Name == symbol);
        Assert.True(s != null, $"symbol {symbol} is not defined");
        return Base + (ulong)s!.Offset;
    }

    /// <summary>The external symbol whose address ld writes into the 8-byte slot at <paramref name="address"/>, or null.</summary>
    public static string? RelocationAt(ulong address)
        => Image.Relocations.SingleOrDefault(r => Base + (ulong)r.Offset == address)?.Symbol;

    public static ulong ReadUInt64(ulong address) => BitConverter.ToUInt64(Blob, (int)(address - Base));

    public static ReadOnlySpan<byte> Bytes(ulong address, int count) => Blob.AsSpan((int)(address - Base), count);

    /// <summary>Decodes <paramref name="code"/> (placed at <paramref name="ip"/>) until <paramref name="isLast"/> holds.
    /// Every instruction must be valid and the terminator must be reached inside the bytes.</summary>
    public static List<Instruction> Decode(byte[] code, int offset, ulong ip, int bitness, Func<Instruction, bool> isLast, int max = 200)
    {
        var decoder = Decoder.Create(bitness, new ByteArrayCodeReader(code, offset, code.Length - offset), ip);
        var list = new List<Instruction>();
        while (list.Count < max)
        {
            Assert.True(decoder.IP < ip + (ulong)(code.Length - offset), $"ran off the end of the code at 0x{decoder.IP:x}");
            decoder.Decode(out var instr);
            Assert.False(instr.IsInvalid, $"invalid instruction at 0x{instr.IP:x}");
            list.Add(instr);
            if (isLast(instr)) return list;
        }
        Assert.Fail($"no terminating instruction within {max} instructions from 0x{ip:x}");
        return list;
    }

    /// <summary>Decodes blob code at a link address.</summary>
    public static List<Instruction> DecodeAt(ulong address, int bitness, Func<Instruction, bool> isLast, int max = 200)
        => Decode(Blob, (int)(address - Base), address, bitness, isLast, max);

    /// <summary>Decodes every instruction in [address, end): the range must hold whole, valid instructions.</summary>
    public static List<Instruction> DecodeRange(ulong address, ulong end, int bitness)
    {
        var decoder = Decoder.Create(bitness, new ByteArrayCodeReader(Blob, (int)(address - Base), (int)(end - address)), address);
        var list = new List<Instruction>();
        while (decoder.IP < end)
        {
            decoder.Decode(out var instr);
            Assert.False(instr.IsInvalid, $"invalid or truncated instruction at 0x{instr.IP:x}");
            list.Add(instr);
        }
        Assert.Equal(end, decoder.IP);
        return list;
    }

    /// <summary>The start of whatever follows <paramref name="address"/> in the blob (next symbol or relocated slot).</summary>
    public static ulong NextBoundary(ulong address)
        => Image.Symbols.Select(s => Base + (ulong)s.Offset)
            .Concat(Image.Relocations.Select(r => Base + (ulong)r.Offset))
            .Where(a => a > address).DefaultIfEmpty(End).Min();

    /// <summary>The registers that still hold the value <paramref name="start"/> had on entry, after
    /// <paramref name="code"/> runs straight through (copies by mov follow it; any other write drops it).</summary>
    public static HashSet<Register> RegistersHolding(Register start, IEnumerable<Instruction> code)
    {
        var holding = new HashSet<Register> { start.GetFullRegister() };
        var info = new InstructionInfoFactory();
        foreach (var i in code)
        {
            bool copy = i.Mnemonic == Mnemonic.Mov && i.OpCount == 2 && i.Op0Kind == OpKind.Register && i.Op1Kind == OpKind.Register
                && i.Op0Register.IsGPR() && holding.Contains(i.Op1Register.GetFullRegister());
            foreach (var used in info.GetInfo(i).GetUsedRegisters())
                if (used.Access is OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite)
                    holding.Remove(used.Register.GetFullRegister());
            if (copy) holding.Add(i.Op0Register.GetFullRegister());
        }
        return holding;
    }

    /// <summary>ret, iretq, any jmp, retf, ud2: control never falls through past these.</summary>
    public static bool IsTerminator(Instruction i)
        => i.FlowControl is FlowControl.Return or FlowControl.UnconditionalBranch or FlowControl.IndirectBranch
           || i.Mnemonic is Mnemonic.Iretq or Mnemonic.Ud2;

    public static bool IsFarJump(Instruction i) => i.Code is Code.Jmp_ptr1632 or Code.Jmp_ptr1616;

    /// <summary>The address a memory operand refers to: RIP-relative or absolute (no base, no index).</summary>
    public static ulong MemoryAddress(Instruction i)
    {
        if (i.IsIPRelativeMemoryOperand) return i.IPRelativeMemoryAddress;
        Assert.Equal(Register.None, i.MemoryBase);
        Assert.Equal(Register.None, i.MemoryIndex);
        return i.MemoryDisplacement64;
    }

    /// <summary>Text of a run of instructions, for assertion messages.</summary>
    public static string Listing(IEnumerable<Instruction> instructions)
        => string.Join("\n", instructions.Select(i => $"{i.IP:x8} {i}"));
}

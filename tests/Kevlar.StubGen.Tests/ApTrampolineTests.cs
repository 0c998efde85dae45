// The AP trampoline image (copied to 0x8000 by the kernel): a 16-bit piece,
// a 32-bit piece and a 64-bit piece at fixed offsets, chained by far jumps,
// and a data block (GDT, GDTR, fields the kernel patches) at fixed offsets.
using System;
using System.Collections.Generic;
using System.Linq;
using Iced.Intel;
using Xunit;
using static Kevlar.StubGen.Tests.GeneratedStubs;

namespace Kevlar.StubGen.Tests;

public class ApTrampolineTests
{
    private const uint At = ApTrampoline.Address;

    /// <summary>The trampoline bytes as they sit in the blob.</summary>
    private static byte[] Image()
    {
        ulong start = Address("kevlar_ap_trampoline"), end = Address("kevlar_ap_trampoline_end");
        return Bytes(start, (int)(end - start)).ToArray();
    }

    private static List<Instruction> Piece(uint address, int bitness, Func<Instruction, bool> isLast)
        => Decode(Image(), (int)(address - At), address, bitness, isLast);

    private static List<Instruction> Real16() => Piece(At, 16, IsFarJump);
    private static List<Instruction> Protected32() => Piece(ApTrampoline.Code32, 32, IsFarJump);
    private static List<Instruction> Long64() => Piece(ApTrampoline.Code64, 64, IsTerminator);

    private static ulong Field(uint offset) => BitConverter.ToUInt64(Image(), (int)offset);

    [Fact]
    public void Image_InBlob_HasTheDocumentedSizeAndLayout()
    {
        Assert.Equal((int)ApTrampoline.Size, Image().Length);
        Assert.Equal(0x8000U, At);
        Assert.Equal(At + 0x40, ApTrampoline.Code32);
        Assert.Equal(At + 0x80, ApTrampoline.Code64);
        Assert.Equal(At + 0xC0, ApTrampoline.GdtAt);
        Assert.Equal(At + 0xE8, ApTrampoline.GdtrAt);
        Assert.Equal([0xF0U, 0xF8U, 0x100U, 0x108U],
            new[] { ApTrampoline.Cr3Field, ApTrampoline.StackField, ApTrampoline.EntryField, ApTrampoline.CpuIndexField });
        Assert.Equal(0x110U, ApTrampoline.Size);
    }

    [Fact]
    public void Real16_Decoded_LoadsGdtAndFarJumpsToCode32()
    {
        var code = Real16();
        Assert.Equal(Mnemonic.Cli, code[0].Mnemonic);
        var lgdt = code.Single(i => i.Mnemonic == Mnemonic.Lgdt);
        Assert.Equal((ulong)ApTrampoline.GdtrAt, MemoryAddress(lgdt));
        Assert.True(ControlRegisterTracker.Run(code).LastWrite("cr0")!.SetsBits(1), "CR0.PE");
        var jump = code[^1];
        Assert.Equal(Code.Jmp_ptr1632, jump.Code);
        Assert.Equal(0x18, jump.FarBranchSelector);
        Assert.Equal(ApTrampoline.Code32, jump.FarBranch32);
        Assert.True(jump.NextIP <= ApTrampoline.Code32);
    }

    [Fact]
    public void Protected32_Decoded_EntersLongModeOnKernelCr3AndFarJumpsToCode64()
    {
        var code = Protected32();
        var cr = ControlRegisterTracker.Run(code);
        Assert.True(cr.LastWrite("cr4")!.SetsBits(0x20), "CR4.PAE");
        Assert.True(cr.LastWrite("msr:c0000080")!.SetsBits(0x900), "EFER.LME|NXE");
        Assert.True(cr.LastWrite("cr0")!.SetsBits(0x80000001), "CR0.PG|PE");
        var cr3Load = code.Single(i => i.Mnemonic == Mnemonic.Mov && i.Op1Kind == OpKind.Memory);
        Assert.Equal((ulong)(At + ApTrampoline.Cr3Field), MemoryAddress(cr3Load));
        var seg = code.First(i => i.Op0Kind == OpKind.Register && i.Op0Register == Register.AX);
        Assert.Equal(0x20UL, seg.GetImmediate(1));
        var jump = code[^1];
        Assert.Equal(Code.Jmp_ptr1632, jump.Code);
        Assert.Equal(0x08, jump.FarBranchSelector);
        Assert.Equal(ApTrampoline.Code64, jump.FarBranch32);
        Assert.True(jump.NextIP <= ApTrampoline.Code64);
    }

    [Fact]
    public void Long64_Decoded_LoadsStackAndCpuIndexThenJumpsToEntry()
    {
        var code = Long64();
        var loads = code.Where(i => i.Op1Kind == OpKind.Memory).ToDictionary(i => i.Op0Register, MemoryAddress);
        Assert.Equal((ulong)(At + ApTrampoline.StackField), loads[Register.RSP]);
        Assert.Equal((ulong)(At + ApTrampoline.CpuIndexField), loads[Register.EDI]);
        Assert.Equal((ulong)(At + ApTrampoline.EntryField), loads[Register.RAX]);
        Assert.Equal(Mnemonic.Jmp, code[^1].Mnemonic);
        Assert.Equal(Register.RAX, code[^1].Op0Register);
        Assert.True(code[^1].NextIP <= ApTrampoline.GdtAt);
        var ax = code.First(i => i.Op0Kind == OpKind.Register && i.Op0Register == Register.AX);
        Assert.Equal(0x10UL, ax.GetImmediate(1));
    }

    [Fact]
    public void Gdt_Descriptors_MatchTheSelectorsThePiecesUse()
    {
        uint gdt = ApTrampoline.GdtAt - At;
        Assert.Equal(0UL, Field(gdt));
        Descriptor code64 = new(Field(gdt + 0x08)), data = new(Field(gdt + 0x10)), code32 = new(Field(gdt + 0x18)), data32 = new(Field(gdt + 0x20));
        Assert.True(code64.Present && code64.Executable && code64.Long && !code64.Default32);
        Assert.True(code32.Present && code32.Executable && !code32.Long && code32.Default32);
        Assert.True(data.Present && data.Writable);
        Assert.True(data32.Present && data32.Writable);
    }

    [Fact]
    public void Gdtr_Field_CoversFiveDescriptorsAtGdtAt()
    {
        byte[] image = Image();
        uint gdtr = ApTrampoline.GdtrAt - At;
        Assert.Equal(39, BitConverter.ToUInt16(image, (int)gdtr));
        Assert.Equal(ApTrampoline.GdtAt, BitConverter.ToUInt32(image, (int)gdtr + 2));
        Assert.True(gdtr + 6 <= ApTrampoline.Cr3Field, "GDTR overlaps the patched fields");
    }

    [Fact]
    public void Fields_Unpatched_EntryHoldsApEntry64AndOthersZero()
    {
        Assert.Equal(Address("kevlar_ap_entry64"), Field(ApTrampoline.EntryField));
        Assert.Equal(0UL, Field(ApTrampoline.Cr3Field));
        Assert.Equal(0UL, Field(ApTrampoline.StackField));
        Assert.Equal(0UL, Field(ApTrampoline.CpuIndexField));
    }

    [Fact]
    public void Build_AnyEntry_PlacesItInTheEntryField()
    {
        byte[] image = ApTrampoline.Build(0x1122334455667788);
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(image, (int)ApTrampoline.EntryField));
    }
}

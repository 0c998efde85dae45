// The PVH entry: 32-bit code at the link base that builds the boot page
// tables, enables long mode and far-jumps to the 64-bit half, which sets up
// segments, the stack and SSE before calling KevlarKernelMain through a
// relocated slot.
using System.Collections.Generic;
using System.Linq;
using Iced.Intel;
using Xunit;
using static Kevlar.StubGen.Tests.GeneratedStubs;

namespace Kevlar.StubGen.Tests;

public class BootEntryTests
{
    private static readonly ulong LongMode = Base + BootEntry.LongModeOffset;

    private static List<Instruction> Entry32() => DecodeAt(Address("kevlar_pvh_entry"), 32, IsFarJump);

    private static List<Instruction> LongMode64()
        => DecodeAt(LongMode, 64, i => i.Mnemonic == Mnemonic.Jmp);

    [Fact]
    public void PvhEntry_AtLinkBase_IsTheElfEntrySymbol()
    {
        Assert.Equal(0x100000UL, Address("kevlar_pvh_entry"));
        Assert.True(Image.Symbols.Single(s => s.Name == "kevlar_pvh_entry").IsFunction);
    }

    [Fact]
    public void PvhEntry_Decoded32Bit_EndsWithFarJumpToLongModeHalf()
    {
        var code = Entry32();
        var jump = code[^1];
        Assert.Equal(Code.Jmp_ptr1632, jump.Code);
        Assert.Equal(0x08, jump.FarBranchSelector);
        Assert.Equal(0x100200U, jump.FarBranch32);
        Assert.True(jump.NextIP <= Address("kevlar_boot_gdt"), "the 32-bit half overlaps the GDT");
    }

    [Fact]
    public void PvhEntry_Decoded32Bit_EnablesPaeLongModeAndPaging()
    {
        var cr = ControlRegisterTracker.Run(Entry32());
        Assert.True(cr.LastWrite("cr4")!.SetsBits(0x20), "CR4.PAE");
        Assert.Equal((ulong)BootEntry.BootPml4, cr.LastWrite("cr3")!.Constant);
        var efer = cr.LastWrite("msr:c0000080");
        Assert.NotNull(efer);
        Assert.True(efer!.SetsBits(0x100 | 0x800), "EFER.LME and NXE");
        Assert.True(cr.LastWrite("cr0")!.SetsBits(0x80000001), "CR0.PG and PE");
        var order = cr.Writes.Select(w => w.Target).ToList();
        Assert.True(order.LastIndexOf("cr0") > order.LastIndexOf("msr:c0000080"), "paging before LME");
    }

    [Fact]
    public void PvhEntry_Lgdt_LoadsTheBootGdtr()
    {
        var lgdt = Entry32().Single(i => i.Mnemonic == Mnemonic.Lgdt);
        ulong gdt = Address("kevlar_boot_gdt");
        Assert.Equal(Base + 0x1C0, gdt);
        Assert.Equal(gdt + 24, MemoryAddress(lgdt));
    }

    [Fact]
    public void BootGdt_Descriptors_NullCode64Data()
    {
        ulong gdt = Address("kevlar_boot_gdt");
        Assert.Equal(0UL, ReadUInt64(gdt));
        Descriptor code = new(ReadUInt64(gdt + BootEntry.Code64)), data = new(ReadUInt64(gdt + BootEntry.Data64));
        Assert.True(code.Present && code.Executable && code.Long && !code.Default32, "0x08 is 64-bit code");
        Assert.True(data.Present && !data.Executable && data.Writable, "0x10 is writable data");
        Assert.Equal(23, System.BitConverter.ToUInt16(Bytes(gdt + 24, 2)));
        Assert.Equal(gdt, System.BitConverter.ToUInt64(Bytes(gdt + 26, 8)));
    }

    [Fact]
    public void LongModeHalf_Segments_LoadDataSelector()
    {
        var code = LongMode64();
        var ax = code.First(i => i.Mnemonic == Mnemonic.Mov && i.Op0Register == Register.AX);
        Assert.Equal(BootEntry.Data64, (ushort)ax.GetImmediate(1));
        var loaded = code.Where(i => i.Mnemonic == Mnemonic.Mov && i.Op0Register.IsSegmentRegister())
            .Select(i => i.Op0Register).ToHashSet();
        Assert.Superset(new HashSet<Register> { Register.DS, Register.ES, Register.SS, Register.FS, Register.GS }, loaded);
        Assert.Equal(5, loaded.Count);
    }

    [Fact]
    public void LongModeHalf_BeforeCall_SetsStackAndSse()
    {
        var code = LongMode64();
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        Assert.True(call > 0, Listing(code));
        var before = code.Take(call).ToList();
        var rsp = before.Last(i => i.Op0Kind == OpKind.Register && i.Op0Register == Register.RSP);
        Assert.Equal(Mnemonic.Mov, rsp.Mnemonic);
        Assert.Equal((ulong)BootEntry.BootStackTop, rsp.GetImmediate(1));
        Assert.Equal(0UL, BootEntry.BootStackTop % 16);

        var cr = ControlRegisterTracker.Run(before);
        var cr0 = cr.LastWrite("cr0")!;
        Assert.Equal("cr0", cr0.Source);
        Assert.True(cr0.SetsBits(0x2), "CR0.MP set");
        Assert.True(cr0.ClearsBits(0x4), "CR0.EM clear");
        var cr4 = cr.LastWrite("cr4")!;
        Assert.Equal("cr4", cr4.Source);
        Assert.True(cr4.SetsBits(0x600), "CR4.OSFXSR and OSXMMEXCPT");
    }

    [Fact]
    public void LongModeHalf_Call_GoesThroughKevlarKernelMainSlot()
    {
        var code = LongMode64();
        var call = code.Single(i => i.Mnemonic == Mnemonic.Call);
        Assert.Equal(OpKind.Memory, call.Op0Kind);
        Assert.Equal("KevlarKernelMain", RelocationAt(MemoryAddress(call)));
        // The start-info pointer QEMU passes in ebx is the first argument (rdi) at the call.
        var path = Entry32().Concat(code.TakeWhile(i => i.Mnemonic != Mnemonic.Call));
        Assert.Contains(Register.RDI, RegistersHolding(Register.EBX, path));
    }

    [Fact]
    public void LongModeHalf_AfterCall_HaltsForever()
    {
        var code = LongMode64();
        int call = code.FindIndex(i => i.Mnemonic == Mnemonic.Call);
        var tail = code.Skip(call + 1).ToList();
        Assert.Equal([Mnemonic.Cli, Mnemonic.Hlt, Mnemonic.Jmp], tail.Select(i => i.Mnemonic));
        Assert.Equal(tail[0].IP, tail[2].NearBranchTarget);
    }
}

/// <summary>The bits of a GDT code/data descriptor the tests look at.</summary>
public readonly record struct Descriptor(ulong Raw)
{
    public bool Present => (Raw >> 47 & 1) != 0;
    public bool Executable => (Raw >> 43 & 1) != 0;
    public bool Writable => !Executable && (Raw >> 41 & 1) != 0;
    public bool Long => (Raw >> 53 & 1) != 0;
    public bool Default32 => (Raw >> 54 & 1) != 0;
}

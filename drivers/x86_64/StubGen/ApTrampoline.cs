// The application-processor trampoline: real-mode code that the kernel copies
// to 0x8000 and points the SIPI at. It climbs to long mode on the kernel's page
// tables and jumps to kevlar_ap_entry64 with the stack and CPU index the kernel
// patched into its data block. APs are started one at a time, so one data block
// suffices. Iced cannot use labels as 16/32-bit absolute operands, so every
// piece and field sits at a fixed offset (checked by the generator's tests).
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Kevlar.StubGen;

public static class ApTrampoline
{
    public const uint Address = 0x8000;
    public const uint Code32 = Address + 0x40, Code64 = Address + 0x80;
    public const uint GdtAt = Address + 0xC0, GdtrAt = Address + 0xE8;
    /// <summary>Fields the kernel patches before each SIPI (offsets from Address).</summary>
    public const uint Cr3Field = 0xF0, StackField = 0xF8, EntryField = 0x100, CpuIndexField = 0x108;
    public const uint Size = 0x110;

    /// <summary>Returns the trampoline image (to be copied to <see cref="Address"/>).</summary>
    public static byte[] Build(ulong apEntry64)
    {
        var image = new byte[Size];
        Place(image, Address, Real16());
        Place(image, Code32, Protected32());
        Place(image, Code64, Long64());
        var data = new MemoryStream();
        data.Write(BitConverter.GetBytes(0UL));
        data.Write(BitConverter.GetBytes(0x00AF9A000000FFFFUL)); // 0x08 code64
        data.Write(BitConverter.GetBytes(0x00CF92000000FFFFUL)); // 0x10 data
        data.Write(BitConverter.GetBytes(0x00CF9A000000FFFFUL)); // 0x18 code32
        data.Write(BitConverter.GetBytes(0x00CF92000000FFFFUL)); // 0x20 data32
        data.Write(BitConverter.GetBytes((ushort)39));
        data.Write(BitConverter.GetBytes(GdtAt));
        Array.Copy(data.ToArray(), 0, image, GdtAt - Address, (int)data.Length);
        BitConverter.GetBytes(apEntry64).CopyTo(image, EntryField);
        return image;
    }

    private static void Place(byte[] image, uint at, byte[] code)
    {
        uint limit = at == Address ? Code32 : at == Code32 ? Code64 : GdtAt;
        if (at + code.Length > limit) throw new InvalidOperationException($"trampoline piece at 0x{at:x} too long");
        code.CopyTo(image, at - Address);
    }

    private static byte[] Real16()
    {
        var a = new Assembler(16);
        a.cli();
        a.cld();
        a.xor(ax, ax);
        a.mov(ds, ax);
        a.mov(es, ax);
        a.mov(ss, ax);
        a.lgdt(__[GdtrAt]);
        a.mov(eax, cr0);
        a.or(eax, 1);
        a.mov(cr0, eax);
        // jmp far 0x18:Code32 with a 32-bit offset (66 EA ptr16:32)
        a.db(0x66, 0xEA, unchecked((byte)Code32), (byte)(Code32 >> 8), 0, 0, 0x18, 0);
        return Assemble(a, Address);
    }

    private static byte[] Protected32()
    {
        var a = new Assembler(32);
        a.mov(ax, 0x20);
        a.mov(ds, ax);
        a.mov(es, ax);
        a.mov(ss, ax);
        a.mov(eax, cr4);
        a.or(eax, 0x20);
        a.mov(cr4, eax);
        a.mov(eax, __dword_ptr[Address + Cr3Field]);
        LongMode.EnablePaging(a);
        a.db(0xEA, unchecked((byte)Code64), (byte)(Code64 >> 8), 0, 0, 0x08, 0);
        return Assemble(a, Code32);
    }

    private static byte[] Long64()
    {
        var a = new Assembler(64);
        LongMode.LoadDataSegments(a);
        a.mov(rsp, __qword_ptr[Address + StackField]);
        a.mov(edi, __dword_ptr[Address + CpuIndexField]);
        a.mov(rax, __qword_ptr[Address + EntryField]);
        a.jmp(rax);
        return Assemble(a, Code64);
    }

    private static byte[] Assemble(Assembler a, ulong at)
    {
        var m = new MemoryStream();
        a.Assemble(new StreamCodeWriter(m), at);
        return m.ToArray();
    }
}

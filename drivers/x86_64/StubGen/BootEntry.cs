// The PVH entry: QEMU enters here in 32-bit protected mode, paging off, with
// EBX = the physical address of the hvm_start_info. It maps the first 4 GiB
// with 2 MiB pages both at 0 and at the direct map (0xFFFF_8000_0000_0000) (temporary tables in low memory; the kernel builds
// its own), enters long mode, enables SSE and calls KevlarKernelMain(startInfo)
// on the boot stack.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Kevlar.StubGen;

public static class BootEntry
{
    public const uint BootPml4 = 0x10000;       // PML4, PDPT, then 4 page directories
    public const uint BootTablesEnd = 0x16000;
    public const uint BootStackTop = 0x80000;   // grows down to 0x20000
    public const ulong LongModeOffset = 0x200;  // 64-bit half, at a fixed offset from the entry
    private const ulong GdtOffset = 0x1C0;
    /// <summary>16 zero bytes GS points at until a CPU has its own per-CPU struct (gs:[8] = no dispatch cache).</summary>
    public const ulong BootCpuLocalOffset = 0x1F0;

    public const ushort Code64 = 0x08, Data64 = 0x10;

    /// <summary>Emits the 32-bit half at Base, a GDT at Base+0x1C0 and the 64-bit half at Base+0x200.</summary>
    public static void Emit(StubImage image)
    {
        ulong entry = image.Here;
        ulong gdt = entry + GdtOffset, gdtr = gdt + 24;
        var a = new Assembler(32);
        var fill = a.CreateLabel();
        a.cli();
        a.cld();
        a.mov(esi, ebx);
        // Zero the temporary tables.
        a.mov(edi, BootPml4);
        a.xor(eax, eax);
        a.mov(ecx, (BootTablesEnd - BootPml4) / 4);
        a.rep.stosd();
        // PML4[0] and PML4[256] (the direct map, DirectMap.Base) -> PDPT; PDPT[0..3] -> four page directories.
        a.mov(__dword_ptr[BootPml4], BootPml4 + 0x1000 + 3);
        a.mov(__dword_ptr[BootPml4 + 256 * 8], BootPml4 + 0x1000 + 3);
        for (uint i = 0; i < 4; i++)
            a.mov(__dword_ptr[BootPml4 + 0x1000 + 8 * i], BootPml4 + 0x2000 + 0x1000 * i + 3);
        // 2048 2 MiB pages: present, writable, large.
        a.mov(edi, BootPml4 + 0x2000);
        a.mov(eax, 0x83);
        a.mov(ecx, 2048);
        a.Label(ref fill);
        a.mov(__dword_ptr[edi], eax);
        a.add(eax, 0x200000);
        a.add(edi, 8);
        a.dec(ecx);
        a.jne(fill);
        // PAE, CR3, EFER.LME|NXE, then paging.
        a.mov(eax, cr4);
        a.or(eax, 0x20);
        a.mov(cr4, eax);
        a.mov(eax, BootPml4);
        LongMode.EnablePaging(a);
        a.lgdt(__[(uint)gdtr]);
        // jmp far Code64:longMode (EA ptr16:32)
        uint longMode = (uint)(entry + LongModeOffset);
        a.db(0xEA, (byte)longMode, (byte)(longMode >> 8), (byte)(longMode >> 16), (byte)(longMode >> 24), (byte)Code64, 0);
        var piece = image.Add(a);
        image.Symbols.Add(new ElfSymbol("kevlar_pvh_entry", (int)(entry - StubImage.Base), true));

        image.PadTo(gdt);
        image.AddData(Gdt(gdt), "kevlar_boot_gdt");

        image.PadTo(entry + BootCpuLocalOffset);
        image.AddData(new byte[16], "kevlar_boot_cpu_local");

        image.PadTo(entry + LongModeOffset);
        EmitLongMode(image, entry + BootCpuLocalOffset);
    }

    /// <summary>Null, 64-bit code, data descriptors, then the 10-byte GDTR.</summary>
    private static byte[] Gdt(ulong at)
    {
        var m = new MemoryStream();
        m.Write(BitConverter.GetBytes(0UL));
        m.Write(BitConverter.GetBytes(0x00AF9A000000FFFFUL));
        m.Write(BitConverter.GetBytes(0x00CF92000000FFFFUL));
        m.Write(BitConverter.GetBytes((ushort)23));
        m.Write(BitConverter.GetBytes(at));
        return m.ToArray();
    }

    private static void EmitLongMode(StubImage image, ulong bootCpuLocal)
    {
        var a = new Assembler(64);
        var main = a.CreateLabel();
        var halt = a.CreateLabel();
        LongMode.LoadDataSegments(a);
        a.mov(rsp, BootStackTop);
        SetGsBase(a, bootCpuLocal);
        EnableSse(a);
        a.mov(edi, esi);
        a.call(__qword_ptr[main]);
        a.Label(ref halt);
        a.cli();
        a.hlt();
        a.jmp(halt);
        a.Label(ref main);
        a.dq(0);
        var piece = image.Add(a);
        piece.Relocate(main, "KevlarKernelMain");
    }

    /// <summary>IA32_GS_BASE := address (clobbers eax, ecx, edx).</summary>
    public static void SetGsBase(Assembler a, ulong address)
    {
        a.mov(ecx, 0xC0000101);
        a.mov(eax, (uint)address);
        a.mov(edx, (uint)(address >> 32));
        a.wrmsr();
    }

    /// <summary>CR0.MP set, CR0.EM clear, CR4.OSFXSR|OSXMMEXCPT: SSE before the first managed instruction.</summary>
    public static void EnableSse(Assembler a)
    {
        a.mov(rax, cr0);
        a.and(rax, -5);
        a.or(rax, 2);
        a.mov(cr0, rax);
        a.mov(rax, cr4);
        a.or(rax, 0x600);
        a.mov(cr4, rax);
    }
}

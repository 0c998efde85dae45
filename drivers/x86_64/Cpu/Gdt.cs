// Each CPU's global descriptor table: flat kernel code/data, user segments laid
// out for SYSCALL/SYSRET (STAR base 0x18: 32-bit code, data, 64-bit code), the
// CPU's own TSS, and a user-visible data descriptor whose limit is the CPU's
// index: the vDSO's getcpu reads it with lsl (Linux's GDT_ENTRY_CPUNODE; the
// node, 0 here, would sit above bit 12). Never loaded into a segment register.
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Cpu;

public static unsafe class Gdt
{
    public const ushort KernelCode = 0x08, KernelData = 0x10, UserCode32 = 0x18, UserData = 0x20, UserCode = 0x28, TssSelector = 0x30, CpuNumberSelector = 0x40 | 3;

    public static void Load(CpuLocal* cpu)
    {
        ulong* g = cpu->Gdt;
        g[0] = 0;
        g[1] = 0x00AF9A000000FFFF; // kernel code, long mode
        g[2] = 0x00CF92000000FFFF; // kernel data
        g[3] = 0x00CFFA000000FFFF; // user code, 32-bit
        g[4] = 0x00CFF2000000FFFF; // user data
        g[5] = 0x00AFFA000000FFFF; // user code, long mode
        ulong tss = (ulong)&cpu->Tss;
        ulong limit = (ulong)sizeof(Tss) - 1;
        // 16-byte system descriptor: type 9 (available 64-bit TSS), present.
        g[6] = (limit & 0xFFFF) | ((tss & 0xFFFFFF) << 16) | (0x89UL << 40) | (((tss >> 24) & 0xFF) << 56);
        g[7] = tss >> 32;
        // Data, read-only, accessed (type 1), DPL 3, present; byte granularity, so the limit is the index.
        g[8] = (ulong)(uint)cpu->Index & 0xFFFF | (0xF1UL << 40);
        cpu->Tss.IoMapBase = (ushort)sizeof(Tss);
        cpu->Tss.Ist1 = cpu->FaultStackTop;

        byte* pointer = stackalloc byte[10];
        *(ushort*)pointer = 9 * 8 - 1;
        *(ulong*)(pointer + 2) = (ulong)g;
        Native.Lgdt(pointer);
        Native.ReloadSegments(KernelCode, KernelData);
        Native.Ltr(TssSelector);
    }
}

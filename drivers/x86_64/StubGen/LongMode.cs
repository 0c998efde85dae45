// Instruction sequences shared by the bootstrap CPU's PVH entry and the AP
// trampoline on their way from 32-bit protected mode into long mode.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Kevlar.StubGen;

public static class LongMode
{
    public const uint EferMsr = 0xC0000080;
    /// <summary>EFER.LME (long mode) | EFER.NXE (no-execute pages).</summary>
    public const uint EferLongModeNx = 0x900;
    public const ushort DataSelector = 0x10;

    /// <summary>32-bit code, PAE already on, EAX = the PML4's physical address:
    /// load CR3, set EFER.LME|NXE, turn on paging (long mode is then active, in
    /// compatibility mode until a far jump to a 64-bit code segment).</summary>
    public static void EnablePaging(Assembler a)
    {
        a.mov(cr3, eax);
        a.mov(ecx, EferMsr);
        a.rdmsr();
        a.or(eax, EferLongModeNx);
        a.wrmsr();
        a.mov(eax, cr0);
        a.or(eax, 0x80000001);
        a.mov(cr0, eax);
    }

    /// <summary>64-bit code: flat data segments in DS/ES/SS, null FS/GS.</summary>
    public static void LoadDataSegments(Assembler a)
    {
        a.mov(ax, DataSelector);
        a.mov(ds, ax);
        a.mov(es, ax);
        a.mov(ss, ax);
        a.xor(eax, eax);
        a.mov(fs, ax);
        a.mov(gs, ax);
    }
}

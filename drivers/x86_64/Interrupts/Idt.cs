// The interrupt descriptor table, shared by all CPUs: 256 interrupt gates to
// the generated stubs; the double fault runs on IST1 so that a kernel stack
// overflow still reaches the panic reporter.
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Interrupts;

public static unsafe class Idt
{
    public const int DoubleFault = 8, PageFault = 14;
    public const int TimerVector = 0x20, ConsoleInputVector = 0x30, WakeupVector = 0xF0, HaltVector = 0xF1, SpuriousVector = 0xFF;
    /// <summary>Vectors DeviceInterrupts hands to drivers (MSI-X).</summary>
    public const int FirstDeviceVector = 0x40, DeviceVectorCount = 16;

    private static ulong* s_table;

    /// <summary>Builds the table in the given zeroed page (4 KiB = 256 × 16 bytes).</summary>
    public static void Build(ulong* page)
    {
        s_table = page;
        ulong* stubs = Native.IsrStubs();
        for (int v = 0; v < 256; v++)
        {
            ulong target = stubs[v];
            ulong ist = v == DoubleFault ? 1UL : 0UL;
            page[2 * v] = (target & 0xFFFF) | ((ulong)Gdt.KernelCode << 16) | (ist << 32) | (0x8EUL << 40) | ((target >> 16 & 0xFFFF) << 48);
            page[2 * v + 1] = target >> 32;
        }
    }

    public static void Load()
    {
        byte* pointer = stackalloc byte[10];
        *(ushort*)pointer = 256 * 16 - 1;
        *(ulong*)(pointer + 2) = (ulong)s_table;
        Native.Lidt(pointer);
    }
}

// Per-CPU state in raw memory, reached through GS: gs:[0] holds the struct's own
// address, so CpuLocal.Current is one load. Each CPU writes only its own
// struct; other CPUs read Index/ApicId and the collector reads SavedContext
// while this CPU is parked at a safepoint.
using System.Runtime.InteropServices;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Cpu;

[StructLayout(LayoutKind.Sequential)]
public unsafe struct CpuLocal
{
    public const uint GsBaseMsr = 0xC0000101;
    public const int MaxCpus = 64;

    /// <summary>This struct's own address (gs:[0]).</summary>
    public CpuLocal* Self;
    /// <summary>This CPU's interface dispatch cache (gs:[8], read by the dispatch stub; see InterfaceDispatch).</summary>
    public void* DispatchCache;
    /// <summary>Dense CPU index: 0 is the bootstrap CPU.</summary>
    public int Index;
    public uint ApicId;
    /// <summary>Kernel stack [StackBottom, StackTop); the page below StackBottom is the unmapped guard.</summary>
    public ulong StackBottom, StackTop;
    /// <summary>The stack the double-fault handler runs on (IST1), so a stack overflow can still report.</summary>
    public ulong FaultStackTop;
    /// <summary>rbx rbp r12 r13 r14 r15 rsp at this CPU's last safepoint park, for conservative scanning.</summary>
    public fixed ulong SavedContext[7];
    public Tss Tss;
    public fixed ulong Gdt[8];

    public static CpuLocal* Current => (CpuLocal*)Native.ReadGs0();

    /// <summary>The calling CPU's index, or 0 before per-CPU state exists.</summary>
    public static int CurrentIndex => s_ready ? Current->Index : 0;

    private static bool s_ready;
    public static CpuLocal** All;
    public static int Count;

    /// <summary>Points GS at this CPU's struct.</summary>
    public static void Install(CpuLocal* local)
    {
        local->Self = local;
        Native.WriteMsr(GsBaseMsr, (ulong)local);
        s_ready = true;
    }
}

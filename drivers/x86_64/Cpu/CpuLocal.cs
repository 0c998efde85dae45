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
    /// <summary>Gdt.cs's entries; entry 8 carries the CPU index for the vDSO's getcpu.</summary>
    public fixed ulong Gdt[9];
    // User-mode entry (StubGen/UserEntry.cs reads these at fixed offsets; checked at boot).
    /// <summary>The kernel rsp saved by kevlar_enter_user, to return to when the thread traps.</summary>
    public ulong UserEntryRsp;
    /// <summary>The UserRegisters the running user thread saves into.</summary>
    public ulong UserRegisters;
    /// <summary>The user rsp, for the few instructions of the syscall entry before it is saved.</summary>
    public ulong UserScratch;
    /// <summary>A 16-byte aligned 512-byte area for fxsave/fxrstor.</summary>
    public byte* FpuScratch;
    /// <summary>The FS base and (swapped-out) GS base the MSRs hold now, so entry skips unchanged wrmsrs.</summary>
    public ulong LoadedFsBase, LoadedGsBase;
    /// <summary>The UserRegisters whose x87 state this CPU holds (StubGen/UserEntry.cs), 0 when none.</summary>
    public ulong FpuOwner;
    /// <summary>1 while this CPU runs user code (a safepoint request must interrupt it).</summary>
    public int InUser;
    /// <summary>The monotonic time this CPU's one-shot timer is programmed for, 0 when none.</summary>
    public ulong TimerDeadline;
    /// <summary>The user page tables (CR3) and their version this CPU last ran.</summary>
    public ulong LoadedSpace, LoadedVersion;
    /// <summary>The user space (its CR3) this CPU is entering or running user code in, 0 when none:
    /// a CPU that narrows that space's mappings waits until it changes or UserExits moves.</summary>
    public ulong RunningSpace;
    /// <summary>How often this CPU has come back from user mode.</summary>
    public ulong UserExits;
    /// <summary>When this CPU last passed its scheduler loop (Diagnostics/Watchdog.cs).</summary>
    public ulong LoopPassAt;
    /// <summary>1 while this CPU is halted waiting for work.</summary>
    public int Halted;
    /// <summary>1 while a concurrent mark runs: the write-barrier helpers grey stored references
    /// (StubGen/RuntimeStubs.cs reads it at gs:[GcBarrierOffset]). Set only while every CPU is parked.</summary>
    public int GcBarrier;
    /// <summary>The time slice's end last armed on the way to user mode (MetalUserMode.Run).</summary>
    public ulong SliceDeadline;

    /// <summary>Offsets the stubs use, as compiled here (compared with StubGen's at boot).</summary>
    public const int TssRsp0Offset = 108, UserEntryRspOffset = 280, UserRegistersOffset = 288, UserScratchOffset = 296, FpuScratchOffset = 304,
        LoadedFsBaseOffset = 312, LoadedGsBaseOffset = 320, FpuOwnerOffset = 328, GcBarrierOffset = 396;

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
        if ((byte*)&local->Index - (byte*)local != Kevlar.Runtime.Threading.LockWatch.CpuIndexOffset)
            Kevlar.Runtime.Metal.Exports.FailFastExports.Fail("CpuLocal.Index is not where LockWatch reads it");
        if ((byte*)&local->GcBarrier - (byte*)local != GcBarrierOffset)
            Kevlar.Runtime.Metal.Exports.FailFastExports.Fail("CpuLocal.GcBarrier is not where the write barrier reads it");
        s_ready = true;
        Kevlar.Runtime.Threading.LockWatch.PerCpuInstalled();
    }
}

// The scheduler's view of the machine on metal: CPU identity through GS,
// wakeups as fixed IPIs, idling as sti;hlt, and the collector's side of the
// safepoint handshake (save registers when parking; collect with every CPU's
// saved registers and stack as conservative roots).
using System.Threading;
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Drivers.X86_64;

// Safety: CpuLocal pointers are the per-CPU structs that live for the whole run; the collector's
// root ranges are pages this class allocated.
public sealed unsafe class MetalPlatform : ICpuPlatform, ISafepointClient
{
    private readonly int _cpuCount;
    // Raw buffers prepared at boot: the collector must not allocate.
    private readonly ulong* _ranges;
    private readonly nint** _staticSlots;
    private readonly int _staticSlotCount;

    public MetalPlatform(int cpuCount)
    {
        _cpuCount = cpuCount;
        _ranges = (ulong*)PhysicalMemory.AllocateZeroed(1, "collector roots");
        _staticSlotCount = GcStatics.SlotCount;
        ulong slotPages = ((ulong)_staticSlotCount * 8 + 0xFFF) / 0x1000;
        _staticSlots = (nint**)PhysicalMemory.AllocateZeroed(slotPages == 0 ? 1 : slotPages, "collector roots");
        for (int i = 0; i < _staticSlotCount; i++) _staticSlots[i] = GcStatics.Slot(i);
    }

    public int CpuCount => _cpuCount;

    public int CurrentCpu => CpuLocal.Current->Index;

    // The pause lets the woken CPU run at once where vCPUs take turns on one host thread
    // (QEMU's single-threaded TCG ends the sender's turn on it); on hardware it is a hint.
    public void SendWakeup(int cpu)
    {
        LocalApic.SendFixed(CpuLocal.All[cpu]->ApicId, Idt.WakeupVector);
        Native.Pause();
    }

    public void WaitForWakeup() => Halt();

    private static void Halt()
    {
        CpuLocal* cpu = CpuLocal.Current;
        Watchdog.BeforeHalt();
        Volatile.Write(ref cpu->Halted, 1);
        Native.StiHltCli();
        Volatile.Write(ref cpu->Halted, 0);
    }

    // Only the wakeup and the panic stop (class 15) reach a parked CPU: a timer or console
    // interrupt handler would send messages and move references while the collector marks,
    // and its frames would sit below the stack range the collector scans. They stay pending
    // until the task priority drops, and run at the next sti;hlt or return to user mode.
    public void WaitForRelease()
    {
        LocalApic.SetTaskPriority((Idt.WakeupVector >> 4) - 1);
        Halt();
        LocalApic.SetTaskPriority(0);
    }

    public void LoopPassed(int cpu) => Watchdog.LoopPassed();

    /// <summary>Turns a CPU's write-barrier switch on or off (the collector calls it with every CPU parked).</summary>
    public static void SetBarrier(int cpu, bool on) => CpuLocal.All[cpu]->GcBarrier = on ? 1 : 0;

    /// <summary>Prints a hole the collector's check found in the marked set (GcHeap.Verify.cs), without allocating.</summary>
    public static void ReportMarkingHole(byte* holder, byte* slot, nint target)
    {
        SerialConsole.Write("gc: unmarked object ");
        SerialConsole.WriteHex((ulong)target);
        SerialConsole.Write(" (type ");
        SerialConsole.WriteHex(*(ulong*)target);
        SerialConsole.Write(") referenced from ");
        if (holder == null) SerialConsole.Write("a root");
        else
        {
            SerialConsole.Write("object ");
            SerialConsole.WriteHex((ulong)holder);
            SerialConsole.Write(" (type ");
            SerialConsole.WriteHex(*(ulong*)holder);
            SerialConsole.Write(")");
        }
        SerialConsole.Write(" at ");
        SerialConsole.WriteHex((ulong)slot);
        SerialConsole.Write("\n");
    }

    public void PreemptUser(int cpu)
    {
        CpuLocal* c = CpuLocal.All[cpu];
        if (c != null && c != CpuLocal.Current && Volatile.Read(ref c->InUser) != 0) LocalApic.SendFixed(c->ApicId, Idt.WakeupVector);
    }

    public void Pause() => Native.Pause();

    public void OnParking(int cpu) => Native.SaveContext(CpuLocal.Current->SavedContext);

    // A slice of the concurrent collection's sweep or mark when this CPU is its marker.
    public bool Background(int cpu) => GcHeap.Background(cpu);

    public void Collect()
    {
        int n = 0;
        for (int i = 0; i < _cpuCount; i++)
        {
            CpuLocal* cpu = CpuLocal.All[i];
            _ranges[2 * n] = (ulong)cpu->SavedContext;
            _ranges[2 * n + 1] = (ulong)(cpu->SavedContext + 7);
            n++;
            _ranges[2 * n] = cpu->SavedContext[6];
            _ranges[2 * n + 1] = cpu->StackTop;
            n++;
        }
        GcHeap.Roots roots = default;
        roots.StaticSlots = _staticSlots;
        roots.StaticSlotCount = _staticSlotCount;
        roots.PermanentStart = EarlyArena.Start;
        roots.PermanentEnd = EarlyArena.Next;
        roots.ConservativeRanges = _ranges;
        roots.ConservativeRangeCount = n;
        GcHeap.Collect(&roots);
        MetalSystemControl.AfterCollection();
    }
}

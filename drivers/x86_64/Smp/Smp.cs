// Bringing up the other CPUs: the CPUs come from the MADT; each AP gets its
// stacks and per-CPU struct, then INIT-SIPI-SIPI through the trampoline at
// 0x8000, one at a time (the trampoline's data block is shared; the stub
// blob says where its fields are). An AP runs
// KevlarApMain on its own stack and reports in by incrementing s_online.
using System.Threading;
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Exports;

namespace Kevlar.Drivers.X86_64;

public static unsafe class Smp
{
    private const uint Trampoline = 0x8000;

    private static int s_online = 1;
    public static int Online => Volatile.Read(ref s_online);

    /// <summary>Creates the per-CPU struct and stacks of CPU <paramref name="index"/>.</summary>
    public static CpuLocal* CreateCpu(int index, uint apicId)
    {
        CpuLocal* cpu = (CpuLocal*)PhysicalMemory.AllocateZeroed(1, "per-CPU state");
        cpu->Index = index;
        cpu->ApicId = apicId;
        KernelStacks.Allocate(index, out cpu->StackBottom, out cpu->StackTop, out cpu->FaultStackTop);
        cpu->DispatchCache = PhysicalMemory.AllocateZeroed((InterfaceDispatch.CacheBytes + 4095) / 4096, "a dispatch cache");
        cpu->FpuScratch = (byte*)PhysicalMemory.AllocateZeroed(1, "an fxsave area");
        CpuLocal.All[index] = cpu;
        return cpu;
    }

    /// <summary>Starts every AP in turn; returns how many CPUs are online.</summary>
    public static int StartAll(uint* apicIds, int count)
    {
        byte* src = Native.ApTrampoline(), end = Native.ApTrampolineEnd();
        for (long i = 0; i < end - src; i++) ((byte*)Trampoline)[i] = src[i];
        uint* fields = Native.ApTrampolineFields();
        uint cr3Field = fields[0], stackField = fields[1], cpuIndexField = fields[2];
        *(uint*)(Trampoline + cr3Field) = (uint)PageTables.Root;
        for (int index = 1; index < count; index++)
        {
            CpuLocal* cpu = CreateCpu(index, apicIds[index]);
            *(ulong*)(Trampoline + stackField) = cpu->StackTop;
            *(uint*)(Trampoline + cpuIndexField) = (uint)index;
            int before = Online;
            LocalApic.SendInit(cpu->ApicId);
            Clock.DelayMicroseconds(10_000);
            LocalApic.SendStartup(cpu->ApicId, Trampoline);
            if (!WaitOnline(before, 2_000))
            {
                LocalApic.SendStartup(cpu->ApicId, Trampoline);
                if (!WaitOnline(before, 2_000_000)) FailFastExports.Fail("an AP did not start");
            }
        }
        return Online;
    }

    private static bool WaitOnline(int before, ulong microseconds)
    {
        ulong deadline = Native.ReadTsc() + Clock.TscPerSecond / 1_000_000 * microseconds;
        while (Online == before)
        {
            if (Native.ReadTsc() > deadline) return false;
            Native.Pause();
        }
        return true;
    }

    /// <summary>Called by each AP once it runs C# on its own stack with its own GDT and IDT.</summary>
    public static void ReportOnline() => Interlocked.Increment(ref s_online);

    /// <summary>Sends the halt IPI to every other online CPU (panic path).</summary>
    public static void StopOthers()
    {
        if (CpuLocal.All == null || CpuLocal.Count <= 1) return;
        int self = CpuLocal.CurrentIndex;
        for (int i = 0; i < CpuLocal.Count; i++)
            if (i != self && CpuLocal.All[i] != null) LocalApic.SendFixed(CpuLocal.All[i]->ApicId, Idt.HaltVector);
    }
}

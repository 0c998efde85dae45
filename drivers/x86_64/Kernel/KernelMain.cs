// The first C# code to run: the bootstrap CPU enters Entry from the PVH stub
// (long mode, boot stack, identity map), each AP enters ApEntry from the
// trampoline on its own stack. Boot order matters: statics before anything
// touches a static reference; the physical allocator before page tables; the
// kernel's page tables and per-CPU descriptor tables before leaving the boot
// stack; the heap before the scheduler.
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Threading;
using Kevlar.Drivers.X86_64.Acpi;
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Boot;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Exports;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;

namespace Kevlar.Drivers.X86_64;

public static unsafe class KernelMain
{
    private const ulong EarlyArenaBytes = 4 * 1024 * 1024;

    private static ulong s_bootTsc;
    private static int s_go;
    public static Scheduler? Scheduler;
    public static MetalPlatform? Platform;
    public static BootOptions Options = null!;  // no initializer: a static constructor would run before the heap exists
    /// <summary>The MADT found at boot (interrupt routing for devices without MSI-X).</summary>
    public static Madt? BootMadt;
    /// <summary>The initramfs QEMU loaded (-initrd, the first PVH module): physical address and length, 0 when none.</summary>
    public static ulong InitrdAddress, InitrdLength;

    /// <summary>The initramfs as a managed array (its frames stay reserved, read-only in the
    /// direct map); null when there is none or it is over 2 GiB.</summary>
    public static byte[]? CopyInitrd()
    {
        if (InitrdLength == 0 || InitrdLength > int.MaxValue) return null;
        byte[] archive = new byte[(int)InitrdLength];
        byte* from = DirectMap.ToVirtual(InitrdAddress);
        for (int i = 0; i < archive.Length; i++) archive[i] = from[i];
        return archive;
    }

    /// <summary>The image's own start-up (self-tests, later init), linked by symbol; runs on CPU 0 once every CPU is up.</summary>
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "KevlarStartWork")]
    private static extern void StartWork(Scheduler scheduler);

    [RuntimeExport("KevlarKernelMain")]
    private static void Entry(ulong startInfo) => Boot(startInfo);

    // Kept out of Entry: a closure or allocation in the entry method would run
    // at method entry, before the heap exists.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Boot(ulong startInfo)
    {
        s_bootTsc = Native.ReadTsc();
        SerialConsole.Initialize();
        ControlPort.Initialize();
        MaskLegacyPic();
        FailFastExports.Handler = &PanicReport.Software;
        ulong arena = (Native.ImageEnd() + 0xFFF) & ~0xFFFUL;
        EarlyArena.Initialize(DirectMap.ToVirtual(arena), EarlyArenaBytes);
        GcStatics.Initialize(Native.ReadyToRunHeader());
        Kassert.FailureHandler = KassertFailed;

        var memory = new DirectMappedMemory();
        if (PvhStartInfo.TryRead(memory, startInfo, out PvhStartInfo info) != PvhError.None)
            FailFastExports.Fail("bad PVH start info");
        Options = BootOptions.Read(memory, info);
        SerialConsole.Muted = Options.Quiet; // boot lines are logged either way (dmesg)
        GcHeap.ReferrersOf = Options.ReferrersOf;
        Watchdog.TimeoutNanoseconds = Options.WatchdogSeconds < 0 ? Watchdog.DefaultTimeoutNanoseconds : (ulong)Options.WatchdogSeconds * 1_000_000_000;
        SerialConsole.Write("kevlar: booting (C#, ilc 10.0.12)\n");
        if (info.ModuleCount > 0 && info.TryReadModule(memory, 0, out PvhModule initrd) == PvhError.None)
        {
            InitrdAddress = initrd.Address;
            InitrdLength = initrd.Length;
        }
        var map = new MemoryMap(MemoryMap.DefaultCapacity);
        MemoryMapError mapError = MemoryMap.TryBuildFromPvh(memory, info, map);
        if (mapError != MemoryMapError.None) ReportBadMemoryMap(info, mapError);
        PhysicalMemory.Initialize(map, arena + EarlyArenaBytes);
        FrameReferences.Initialize();
        BuildAddressSpace(memory, info, map);
        CpuLocal* bsp = Smp.CreateCpu(0, 0);
        CpuLocal.Count = 1;
        SetUpThisCpu(bsp);
        Native.SwitchStack(bsp->StackTop, &BootOnKernelStack, info.RsdpAddress);
    }

    /// <summary>The kernel's page tables and the IDT; leaves this CPU on the new tables.</summary>
    private static void BuildAddressSpace(DirectMappedMemory memory, in PvhStartInfo info, MemoryMap map)
    {
        CpuLocal.All = (CpuLocal**)PhysicalMemory.AllocateZeroed(1, "the CPU table");
        ulong* firmware = (ulong*)PhysicalMemory.AllocateZeroed(1, "the firmware map");
        int firmwareCount = FirmwareRanges(memory, info, firmware, 256);
        PageTables.Build(map, firmware, firmwareCount);
        if (InitrdLength > 0) PageTables.MapBootData(InitrdAddress, InitrdLength);
        Idt.Build((ulong*)PhysicalMemory.AllocateZeroed(1, "the IDT"));
        PageTables.Activate();
    }

    private static void ReportBadMemoryMap(in PvhStartInfo info, MemoryMapError error)
    {
        SerialConsole.Write("kevlar: PVH memory map error ");
        SerialConsole.WriteDec((long)error);
        SerialConsole.Write(", version ");
        SerialConsole.WriteDec(info.Version);
        SerialConsole.Write(", at ");
        SerialConsole.WriteHex(info.MemoryMapAddress);
        SerialConsole.Write(", entries ");
        SerialConsole.WriteDec(info.MemoryMapEntryCount);
        SerialConsole.Write("\n");
        FailFastExports.Fail("bad PVH memory map");
    }

    /// <summary>Non-RAM ranges of the boot memory map (ACPI tables, firmware) as [start, end) pairs.</summary>
    private static int FirmwareRanges(DirectMappedMemory memory, in PvhStartInfo info, ulong* pairs, int max)
    {
        int n = 0;
        for (int i = 0; i < (int)info.MemoryMapEntryCount && n < max; i++)
        {
            if (info.TryReadMemoryMapEntry(memory, i, out PvhMemoryMapEntry e) != PvhError.None) break;
            if (e.Type == PvhMemoryMapEntry.TypeRam || e.Length == 0 || e.Length > MaxFirmwareRange) continue;
            pairs[2 * n] = e.Address;
            pairs[2 * n + 1] = e.Address + e.Length;
            n++;
        }
        return n;
    }

    // Firmware ranges are mapped page by page; a huge "reserved" window (a PCI hole) is not firmware data.
    private const ulong MaxFirmwareRange = 64UL << 20;

    private static void SetUpThisCpu(CpuLocal* cpu)
    {
        Gdt.Load(cpu);
        Idt.Load();
        CpuLocal.Install(cpu);
        UserModeSetup.InitializeThisCpu(cpu);
    }

    private static void BootOnKernelStack(ulong rsdp)
    {
        InitializeHeap();
        var memory = new DirectMappedMemory();
        if (AcpiPlatform.TryDiscover(memory, rsdp, out AcpiPlatform? acpi) != AcpiError.None || acpi == null)
            FailFastExports.Fail("ACPI tables not found or malformed");
        Madt madt = acpi.Madt;
        BootMadt = madt;
        if (acpi.HasMcfg) Pci.PciConfig.UseEnhanced(acpi.Mcfg.Base, acpi.Mcfg.StartBus, acpi.Mcfg.EndBus);
        LocalApic.Map(madt.LocalApicAddress);
        LocalApic.EnableOnThisCpu();
        CpuLocal.Current->ApicId = LocalApic.CurrentId;
        IoApic.Initialize(madt);
        SerialInput.Initialize(madt, CpuLocal.Current->ApicId);
        Clock.Calibrate();
        GcHeap.NowNanoseconds = &NowNanoseconds;
        PrintMachine();

        int count = CollectCpus(madt, CpuLocal.Current->ApicId, out uint* apicIds);
        if (Options.MaxCpus > 0 && count > Options.MaxCpus) count = Options.MaxCpus;
        CpuLocal.Count = count;
        Platform = new MetalPlatform(count);
        Scheduler = new Scheduler(Platform, Platform);
        GcHeap.RequestCollection = &RequestCollection;
        GcHeap.ReportOutOfMemory = &ReportHeap;
        GcHeap.CollectFromAllocation = &CollectFromAllocation;
        GcHeap.SetBarrier = &MetalPlatform.SetBarrier;
        GcHeap.CpuCount = count;
        GcHeap.ReportMarkingHole = &MetalPlatform.ReportMarkingHole;
        GcHeap.Concurrent = Options.GcMode != "stw";
        GcHeap.VerifyMarking = Options.GcMode == "verify";
        GcHeap.PoisonFreedCells = Options.GcMode == "verify";

        int online = Smp.StartAll(apicIds, count);
        SerialConsole.Write("smp: ");
        SerialConsole.WriteDec(online);
        SerialConsole.Write(" CPUs online (");
        SerialConsole.WriteDec((long)(Clock.TscToNanoseconds(Native.ReadTsc() - s_bootTsc) / 1000));
        SerialConsole.Write(" us after kernel entry)\n");
        SerialConsole.Muted = false;
        if (online != count) FailFastExports.Fail("not every CPU came online");
        Volatile.Write(ref s_go, 1);
        StartWork(Scheduler);
        Scheduler.RunLoop(0);
        FailFastExports.Fail("scheduler loop returned");
    }

    [RuntimeExport("KevlarApMain")]
    private static void ApEntry(int cpu) => ApBoot(cpu);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ApBoot(int index)
    {
        Native.WriteCr0(Native.ReadCr0() | (1UL << 16));
        CpuLocal* cpu = CpuLocal.All[index];
        SetUpThisCpu(cpu);
        LocalApic.EnableOnThisCpu();
        Smp.ReportOnline();
        while (Volatile.Read(ref s_go) == 0) Native.Pause();
        Scheduler!.RunLoop(index);
        FailFastExports.Fail("scheduler loop returned");
    }

    private static void InitializeHeap()
    {
        ulong ram = PhysicalMemory.FreeBytes;
        ulong heapBytes = ram / 2;
        if (heapBytes > (1UL << 30)) heapBytes = 1UL << 30;
        heapBytes &= ~(GcHeap.BlockSize - 1);
        ulong region = PhysicalMemory.AllocatePages(heapBytes / 4096);
        ulong metaBytes = GcHeap.MetadataBytes(heapBytes, 2 * 1024 * 1024);
        ulong meta = PhysicalMemory.AllocatePages((metaBytes + 4095) / 4096);
        if (region == 0 || meta == 0) FailFastExports.Fail("no memory for the kernel heap");
        GcHeap.CurrentCpu = &CurrentCpuIndex;
        // kevlar.gc=verify collects eight times as often, so a test run checks many marks.
        long trigger = Options.GcMode == "verify" ? 2 * 1024 * 1024 : 16 * 1024 * 1024;
        GcHeap.Initialize(DirectMap.ToVirtual(region), heapBytes, DirectMap.ToVirtual(meta), (metaBytes + 4095) & ~4095UL, trigger);
    }

    private static int CollectCpus(Madt madt, uint bspApicId, out uint* apicIds)
    {
        apicIds = (uint*)PhysicalMemory.AllocateZeroed(1, "the CPU list");
        apicIds[0] = bspApicId;
        int count = 1;
        MadtProcessor[] cpus = madt.Processors;
        for (int i = 0; i < cpus.Length && count < CpuLocal.MaxCpus; i++)
            if (cpus[i].IsEnabled && cpus[i].ApicId != bspApicId) apicIds[count++] = cpus[i].ApicId;
        return count;
    }

    private static void MaskLegacyPic()
    {
        Native.Out8(0x21, 0xFF);
        Native.Out8(0xA1, 0xFF);
    }

    private static void PrintMachine()
    {
        SerialConsole.Write("kevlar: ram ");
        SerialConsole.WriteDec((long)(PhysicalMemory.UsableBytes >> 20));
        SerialConsole.Write(" MiB, heap ");
        SerialConsole.WriteDec((long)((GcHeap.RegionEnd - GcHeap.RegionStart) >> 20));
        SerialConsole.Write(" MiB, tsc ");
        SerialConsole.WriteDec((long)(Clock.TscPerSecond / 1_000_000));
        SerialConsole.Write(" MHz, apic timer ");
        SerialConsole.WriteDec((long)(Clock.ApicTimerPerSecond / 1_000_000));
        SerialConsole.Write(" MHz\n");
    }

    private static int CurrentCpuIndex() => CpuLocal.Current->Index;

    private static ulong NowNanoseconds() => Clock.NowNanoseconds;

    // Sleeping CPUs are woken by the request itself; CPUs running user code are
    // interrupted so that they come back to their loop's safepoint now.
    private static void RequestCollection()
    {
        GcHeap.NoteRequested();
        Scheduler?.Safepoint.Request();
        for (int i = 0; i < CpuLocal.Count; i++) Platform?.PreemptUser(i);
    }

    // An allocation that found the heap full waits for a collection where it stands when it may: the
    // CPUs run their loops; this one holds no kernel lock (another CPU spinning on it would never come
    // to the safepoint); it runs a handler, not an interrupt taken in a halt or in user mode (whose
    // vector, still in service, could hold back the wakeup that ends the park); and it runs on its own
    // kernel stack, the range the collector scans from the saved stack pointer up (not the fault stack).
    private static bool CollectFromAllocation()
    {
        if (Volatile.Read(ref s_go) == 0 || Scheduler == null) return false;
        CpuLocal* cpu = CpuLocal.Current;
        ulong here = (ulong)&cpu;
        if (LockWatch.HeldBy(cpu->Index) != 0 || cpu->Halted != 0 || Volatile.Read(ref cpu->InUser) != 0) return false;
        if (here < cpu->StackBottom || here >= cpu->StackTop) return false;
        Scheduler.CollectFromHandler(cpu->Index);
        return true;
    }

    private static void ReportHeap()
    {
        int cpu = CpuLocal.CurrentIndex;
        SerialConsole.BeginForPanic(cpu);
        SerialConsole.Write("gc: ");
        SerialConsole.WriteDec(GcHeap.BlocksInUse);
        SerialConsole.Write(" of ");
        SerialConsole.WriteDec(GcHeap.BlockCount);
        SerialConsole.Write(" blocks in use, ");
        SerialConsole.WriteDec(GcHeap.Collections);
        SerialConsole.Write(" collections, live after the last ");
        SerialConsole.WriteDec((long)(GcHeap.LiveBytesAfterLastCollection >> 10));
        SerialConsole.Write(" KiB, handed out since ");
        SerialConsole.WriteDec(GcHeap.AllocatedSinceCollection >> 10);
        SerialConsole.Write(" KiB, trigger ");
        SerialConsole.WriteDec(GcHeap.Trigger >> 10);
        SerialConsole.Write(GcHeap.CollectionRequested ? " KiB, collection requested\n" : " KiB, none requested\n");
        SerialConsole.End(cpu);
    }

    private static void KassertFailed(string what) => FailFastExports.Fail(string.Concat("assertion failed: ", what));
}

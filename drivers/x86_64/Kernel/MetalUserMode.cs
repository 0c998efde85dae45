// The metal side of IUserMode: address spaces are UserPageTables, and Run
// drops into ring 3 through kevlar_enter_user. The CPU's one-shot timer is
// armed for the end of the time slice on the way in (unless something sooner
// is armed), so a thread that never traps is still stopped after
// SliceNanoseconds; external interrupts that end a run are acknowledged here.
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Metal;
using Kevlar.Runtime.Metal.Exports;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Drivers.X86_64;

// Safety: the registers live in a heap object that does not move and is kept
// alive by the caller's reference for the whole run.
public sealed unsafe class MetalUserMode : IUserMode
{
    public const ulong SliceNanoseconds = 10_000_000;

    public IPageTables CreateAddressSpace()
    {
        UserPageTables? space = UserPageTables.Create();
        if (space == null) FailFastExports.Fail("out of memory for a new address space");
        return space!;
    }

    public int Run(ref UserRegisters regs, IPageTables space)
    {
        UserPageTables tables = (UserPageTables)space;
        CpuLocal* cpu = CpuLocal.Current;
        ulong root = tables.Root;
        if (cpu->LoadedSpace != root || cpu->LoadedVersion != tables.Version)
        {
            Native.WriteCr3(root);  // also flushes what an older version left in the TLB
            cpu->LoadedSpace = root;
            cpu->LoadedVersion = tables.Version;
        }
        MetalTimers.Arm(Clock.NowNanoseconds + SliceNanoseconds);
        cpu->InUser = 1;
        int reason;
        fixed (UserRegisters* p = &regs) reason = Native.EnterUser(p, root);
        cpu->InUser = 0;
        if (reason >= TrapVector.FirstInterrupt && reason < 256) InterruptDispatcher.Acknowledge(reason);
        return reason;
    }
}

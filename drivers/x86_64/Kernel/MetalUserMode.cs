// The metal side of IUserMode: address spaces are UserPageTables, and Run
// drops into ring 3 through kevlar_enter_user. The CPU's one-shot timer is
// armed for the end of the time slice on the way in (unless something sooner
// is armed), so a thread that never traps is still stopped after
// SliceNanoseconds; external interrupts that end a run are acknowledged here.
using System.Threading;
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
        // Announce the space before reading its version; a CPU narrowing it changes the version
        // before it looks for CPUs running it (UserPageTables.Shootdown). With a full fence on
        // both sides, either that CPU sees this one and waits for it to leave, or this one sees
        // the new version and flushes. Interrupts stay off until user mode, so its IPI waits.
        Volatile.Write(ref cpu->RunningSpace, root);
        Interlocked.MemoryBarrier();
        if (tables.IsDestroyed)
        {
            // exit_group or exec on another CPU tore the space down while this thread was on its way.
            Volatile.Write(ref cpu->RunningSpace, 0);
            return UserRegisters.SpaceGoneReason;
        }
        ulong version = Volatile.Read(ref tables.Version);
        if (cpu->LoadedSpace != root || cpu->LoadedVersion != version)
        {
            Native.WriteCr3(root);  // also flushes what an older version left in the TLB
            cpu->LoadedSpace = root;
            cpu->LoadedVersion = version;
        }
        // The slice's end armed last is at most now + SliceNanoseconds: while what is programmed is
        // no later than that, it is no later than a new slice's end, so no clock read is needed.
        if (cpu->TimerDeadline == 0 || cpu->TimerDeadline > cpu->SliceDeadline)
        {
            cpu->SliceDeadline = Clock.NowNanoseconds + SliceNanoseconds;
            MetalTimers.Arm(cpu->SliceDeadline);
        }
        cpu->InUser = 1;
        int reason;
        fixed (UserRegisters* p = &regs)
        {
            // Only the thread in its run loop here may have x87 state left in this CPU (TakeFpu).
            if (cpu->FpuOwner != 0 && cpu->FpuOwner != (ulong)p) FailFastExports.Fail("another thread's FPU state is still in this CPU");
            reason = Native.EnterUser(p, root);
        }
        cpu->InUser = 0;
        Volatile.Write(ref cpu->UserExits, cpu->UserExits + 1);
        Volatile.Write(ref cpu->RunningSpace, 0);
        if (reason >= TrapVector.FirstInterrupt && reason < 256) InterruptDispatcher.Acknowledge(reason);
        return reason;
    }

    public void Recall(IPageTables space) => ((UserPageTables)space).Shootdown();

    public void TakeFpu(ref UserRegisters regs)
    {
        fixed (UserRegisters* p = &regs) Native.TakeFpu(p);
    }
}

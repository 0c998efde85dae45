// IUserMode: running user code, the platform's side. A user thread runs as a
// call: Run loads the registers into the CPU, switches to the address space,
// drops to ring 3 and returns when the thread traps back (system call,
// interrupt, exception) with the registers saved and the reason. Metal:
// drivers/x86_64/Kernel/MetalUserMode.cs over StubGen/UserEntry.cs.
namespace Kevlar.Runtime.UserMode;

public interface IUserMode
{
    /// <summary>A new, empty user address space.</summary>
    IPageTables CreateAddressSpace();

    /// <summary>Runs user code with <paramref name="regs"/> in <paramref name="space"/> until it
    /// traps. Returns <see cref="UserRegisters.SyscallReason"/> or the trap's vector; an
    /// external interrupt is acknowledged before Run returns (the time slice is over, or
    /// another CPU wants this one's attention).</summary>
    int Run(ref UserRegisters regs, IPageTables space);

    /// <summary>Brings every other CPU that runs user code in <paramref name="space"/> back to the
    /// kernel (an IPI) and returns once each has left it: a stop or a signal then takes effect
    /// before the caller goes on. Narrowing or removing a mapping does this by itself (the TLB
    /// shootdown is the page tables' job).</summary>
    void Recall(IPageTables space);

    /// <summary>Makes <paramref name="regs"/>' FPU image whole again: after Run, this CPU may still
    /// hold part of the thread's FPU state (the x87 registers, which kernel code never touches).
    /// Called on the thread's CPU before the kernel reads or replaces its FPU state (signal
    /// frames, sigreturn, exec, fork) and when the thread stops running user code there.</summary>
    void TakeFpu(ref UserRegisters regs);
}

// Where every interrupt stub lands (KevlarInterruptDispatch) when it came from
// ring 0. Kernel code runs with interrupts off and enables them only inside
// sti;hlt, so the only interrupts that arrive are wakeups, the panic-stop IPI,
// timers, console input, device interrupts (DeviceInterrupts) and spurious ones — and exceptions, which in the kernel are always a
// panic. Interrupts from ring 3 end the user run instead (StubGen/UserEntry.cs)
// and are acknowledged through Acknowledge.
using System.Runtime;
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Interrupts;

public static unsafe class InterruptDispatcher
{
    [RuntimeExport("KevlarInterruptDispatch")]
    private static void Dispatch(InterruptFrame* frame)
    {
        ulong vector = frame->Vector;
        if (vector < 32) { PanicReport.Exception(frame); return; }
        switch ((int)vector)
        {
            case Idt.WakeupVector:
            case Idt.TimerVector:
            case Idt.ConsoleInputVector:
                Acknowledge((int)vector);
                return;
            case Idt.HaltVector:
                while (true) Native.StiHltCli();
            case Idt.SpuriousVector:
                return;
            default:
                if (DeviceInterrupts.IsDeviceVector((int)vector))
                {
                    Acknowledge((int)vector);
                    return;
                }
                PanicReport.Exception(frame);
                return;
        }
    }

    /// <summary>Ends an external interrupt taken from either ring.</summary>
    public static void Acknowledge(int vector)
    {
        if (vector == Idt.SpuriousVector) return;
        if (vector == Idt.HaltVector) while (true) Native.StiHltCli();
        if (vector == Idt.ConsoleInputVector) Console.SerialInput.Drain();
        // Before the EOI: a level-triggered line must be lowered first, or it interrupts again at once.
        if (DeviceInterrupts.IsDeviceVector(vector)) DeviceInterrupts.Raise(vector);
        LocalApic.EndOfInterrupt();
        if (vector == Idt.ConsoleInputVector) Console.SerialInput.Notify();
        if (vector == Idt.TimerVector) Timing.MetalTimers.Expire();
    }
}

// Where every interrupt stub lands (KevlarInterruptDispatch). Kernel code runs
// with interrupts off and enables them only inside sti;hlt, so the only
// interrupts that arrive are wakeups, the panic-stop IPI, timers and spurious
// ones — and exceptions, which are always a panic.
using System.Runtime;
using Kevlar.Drivers.X86_64.Apic;
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
                LocalApic.EndOfInterrupt();
                return;
            case Idt.HaltVector:
                while (true) Native.StiHltCli();
            case Idt.SpuriousVector:
                return;
            default:
                PanicReport.Exception(frame);
                return;
        }
    }
}

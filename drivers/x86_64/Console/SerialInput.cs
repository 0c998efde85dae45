// Console input on metal: COM1's receiver by interrupt. The UART raises ISA
// IRQ 4 when its receive FIFO holds data (IER bit 0, "received data
// available", trigger level 1 byte); the I/O APIC delivers it, after the MADT's
// interrupt source override if there is one, as Idt.ConsoleInputVector to the
// boot CPU. The handler (InterruptDispatcher.Acknowledge, from idle hlt or from
// user mode) drains the FIFO into the ConsoleInputRing, sends the local APIC its
// EOI, and then sends the consumer's requested message, if any — like the timer
// interrupt's MetalTimers.Expire. Nothing here allocates or takes a lock after
// Initialize.
//
// State: s_ring is written once by Initialize (boot CPU, before interrupts);
// its producer side runs only on the boot CPU with interrupts off.
using Kevlar.Drivers.X86_64.Acpi;
using Kevlar.Drivers.X86_64.Apic;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Console;

public static class SerialInput
{
    private const ushort Com1 = 0x3F8;
    private const ushort Data = Com1, InterruptEnable = Com1 + 1, FifoControl = Com1 + 2, ModemControl = Com1 + 4, LineStatus = Com1 + 5;
    private const byte DataReady = 0x01, ReceivedDataInterrupt = 0x01;
    private const byte FifoOnTrigger1 = 0x01, DtrRtsOut2 = 0x0B;
    private const byte IsaIrq = 4;
    /// <summary>Most bytes one interrupt drains: a receiver that never empties cannot hold the CPU.</summary>
    private const int MaxBytesPerInterrupt = 256;

    private static ConsoleInputRing? s_ring;

    /// <summary>The ring the interrupt fills; null when input is not routed (no I/O APIC).</summary>
    public static ConsoleInputRing? Ring => s_ring;

    /// <summary>Routes COM1's IRQ to the local APIC <paramref name="apicId"/> and turns on the
    /// receive interrupt. Call once on the boot CPU after IoApic.Initialize; false (input stays
    /// off) when no I/O APIC serves the IRQ.</summary>
    public static bool Initialize(Madt madt, uint apicId)
    {
        uint gsi = madt.IsaIrqToGsi(IsaIrq);
        bool activeLow = false, level = false;
        madt.IrqMode(IsaIrq, ref activeLow, ref level);
        s_ring = new ConsoleInputRing();
        if (!IoApic.Route(gsi, Idt.ConsoleInputVector, apicId, activeLow, level))
        {
            s_ring = null;
            return false;
        }
        Native.Out8(FifoControl, FifoOnTrigger1);
        Native.Out8(ModemControl, DtrRtsOut2);
        Native.Out8(InterruptEnable, ReceivedDataInterrupt);
        return true;
    }

    /// <summary>Moves what the receiver holds into the ring. Interrupt context, before the EOI.</summary>
    public static void Drain()
    {
        ConsoleInputRing? ring = s_ring;
        for (int n = 0; n < MaxBytesPerInterrupt && (Native.In8(LineStatus) & DataReady) != 0; n++)
        {
            byte b = Native.In8(Data);
            ring?.Put(b);
        }
    }

    /// <summary>Sends the consumer's requested message if input waits. Interrupt context, after the EOI.</summary>
    public static void Notify() => s_ring?.NotifyIfRequested();
}

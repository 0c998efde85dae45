// The local APIC in xAPIC mode (Intel SDM vol. 3, ch. 11), memory-mapped at
// the address from the MADT: enable, end-of-interrupt, inter-processor
// interrupts (fixed, INIT, STARTUP) and the timer used for calibration.
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Apic;

public static unsafe class LocalApic
{
    private const uint Id = 0x20, Tpr = 0x80, Eoi = 0xB0, Svr = 0xF0, Esr = 0x280, IcrLow = 0x300, IcrHigh = 0x310;
    private const uint LvtTimer = 0x320, TimerInitial = 0x380, TimerCurrent = 0x390, TimerDivide = 0x3E0;
    private const uint DeliveryPending = 1 << 12;

    private static ulong s_base;

    public static void Map(ulong physical)
    {
        s_base = PageTables.MapMmio(physical, 0x1000);
    }

    /// <summary>Enables this CPU's APIC with the spurious vector; accepts all priorities.</summary>
    public static void EnableOnThisCpu()
    {
        Write(Tpr, 0);
        Write(Svr, 0x100 | Idt.SpuriousVector);
        Write(Esr, 0);
    }

    public static uint CurrentId => Read(Id) >> 24;

    /// <summary>Holds interrupts of priority class <paramref name="priorityClass"/> (vector >> 4) and
    /// below pending on this CPU (SDM 11.8.3.1, TPR); 0 accepts every interrupt.</summary>
    public static void SetTaskPriority(int priorityClass) => Write(Tpr, (uint)priorityClass << 4);

    public static void EndOfInterrupt() => Write(Eoi, 0);

    /// <summary>A fixed interrupt with <paramref name="vector"/> to one CPU.</summary>
    public static void SendFixed(uint apicId, int vector) => SendIcr(apicId, (uint)vector);

    /// <summary>An NMI (ICR delivery mode 100b): taken even with interrupts off.</summary>
    public static void SendNmi(uint apicId) => SendIcr(apicId, 0x400);

    public static void SendInit(uint apicId) => SendIcr(apicId, 0x4500);

    public static void SendStartup(uint apicId, uint trampoline) => SendIcr(apicId, 0x4600 | (trampoline >> 12));

    private static void SendIcr(uint apicId, uint low)
    {
        while ((Read(IcrLow) & DeliveryPending) != 0) Native.Pause();
        Write(IcrHigh, apicId << 24);
        Write(IcrLow, low);
        while ((Read(IcrLow) & DeliveryPending) != 0) Native.Pause();
    }

    /// <summary>Starts the timer counting down from the maximum, masked, divide by 16.</summary>
    public static void StartFreeRunningTimer()
    {
        Write(TimerDivide, 0x3);
        Write(LvtTimer, 0x10000 | Idt.TimerVector);
        Write(TimerInitial, 0xFFFFFFFF);
    }

    public static uint TimerCount => Read(TimerCurrent);

    /// <summary>Fires <see cref="Idt.TimerVector"/> once after <paramref name="count"/> timer ticks
    /// (divide by 16, as calibrated).</summary>
    public static void ArmOneShot(uint count)
    {
        Write(TimerDivide, 0x3);
        Write(LvtTimer, Idt.TimerVector);
        Write(TimerInitial, count == 0 ? 1 : count);
    }

    public static void StopTimer() => Write(TimerInitial, 0);

    private static uint Read(uint register) => *(uint*)(s_base + register);
    private static void Write(uint register, uint value) => *(uint*)(s_base + register) = value;
}

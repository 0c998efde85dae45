// Device interrupts by vector: a driver claims one of the vectors from
// Idt.FirstDeviceVector and attaches itself when it is set up (boot CPU,
// before its device can interrupt), and InterruptDispatcher.Acknowledge calls
// it before the EOI (so a level-triggered line can be lowered first), in
// interrupt context — where it may only do what an interrupt may: note the
// event and send its actor a message.
//
// State: s_handlers written by Claim at boot; read from interrupts afterwards.
namespace Kevlar.Drivers.X86_64.Interrupts;

/// <summary>What a device's interrupt calls.</summary>
public interface IDeviceInterrupt
{
    void Interrupted();
}

public static class DeviceInterrupts
{
    private static IDeviceInterrupt?[] s_handlers = null!; // no initializer: a static constructor would run before the heap exists
    private static int s_claimed;

    /// <summary>A free vector, or -1 when all are taken; its interrupts are ignored until Attach.</summary>
    public static int Claim()
    {
        if (s_handlers == null) s_handlers = new IDeviceInterrupt?[Idt.DeviceVectorCount];
        if (s_claimed == Idt.DeviceVectorCount) return -1;
        return Idt.FirstDeviceVector + s_claimed++;
    }

    /// <summary>Makes <paramref name="handler"/> the one <paramref name="vector"/> (from Claim) calls.</summary>
    public static void Attach(int vector, IDeviceInterrupt handler) => s_handlers[vector - Idt.FirstDeviceVector] = handler;

    public static bool IsDeviceVector(int vector) => vector >= Idt.FirstDeviceVector && vector < Idt.FirstDeviceVector + Idt.DeviceVectorCount;

    /// <summary>Runs the handler of <paramref name="vector"/> (a device vector), if one claimed it.</summary>
    public static void Raise(int vector)
    {
        IDeviceInterrupt?[] handlers = s_handlers;
        if (handlers == null) return;
        int i = vector - Idt.FirstDeviceVector;
        if (i < s_claimed) handlers[i]?.Interrupted();
    }
}

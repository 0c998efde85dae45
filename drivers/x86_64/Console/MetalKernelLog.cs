// MetalKernelLog: KernelMessages for portable code (syslog(2), dmesg), read
// and cleared while holding the console, as its writers do.
using Kevlar.Runtime.Devices;

namespace Kevlar.Drivers.X86_64.Console;

/// <summary>The kernel log for portable code (syslog(2)).</summary>
public sealed class MetalKernelLog : IKernelLog
{
    public int Capacity => KernelMessages.Capacity;

    public int Unread
    {
        get
        {
            SerialConsole.Begin(Kevlar.Drivers.X86_64.Cpu.CpuLocal.CurrentIndex);
            int n = KernelMessages.Unread;
            SerialConsole.End(Kevlar.Drivers.X86_64.Cpu.CpuLocal.CurrentIndex);
            return n;
        }
    }

    public int Read(System.Span<byte> into, bool sinceClear)
    {
        int cpu = Kevlar.Drivers.X86_64.Cpu.CpuLocal.CurrentIndex;
        SerialConsole.Begin(cpu);
        int n = KernelMessages.Snapshot(into, sinceClear);
        SerialConsole.End(cpu);
        return n;
    }

    public void Clear()
    {
        int cpu = Kevlar.Drivers.X86_64.Cpu.CpuLocal.CurrentIndex;
        SerialConsole.Begin(cpu);
        KernelMessages.Clear();
        SerialConsole.End(cpu);
    }
}

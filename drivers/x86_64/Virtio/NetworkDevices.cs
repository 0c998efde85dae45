// Bringing up the network device at start-up: a device vector is claimed,
// the first virtio-net function is set up to interrupt the last CPU (by MSI-X,
// else through the I/O APIC; CPU 0
// already carries the console, the VFS and the stack's actor), and the driver
// actor is registered there. One boot line says what was found.
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Drivers.X86_64.Pci;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Drivers.X86_64.Virtio;

public static class NetworkDevices
{
    /// <summary>The virtio-net driver, started; null when there is no device (or it cannot be
    /// driven, which the boot line says). Boot CPU, once.</summary>
    public static VirtioNet? Start(Scheduler scheduler)
    {
        int cpu = scheduler.CpuCount - 1;
        int vector = DeviceInterrupts.Claim();
        if (vector < 0) return null;
        VirtioNet? net = VirtioNet.Probe(vector, ApicId(cpu), KernelMain.BootMadt, out string why);
        if (net == null)
        {
            if (why != VirtioNet.NoDevice) SerialConsole.Write(string.Concat("virtio-net: ", why, "; networking is lo only\n"));
            return null;
        }
        scheduler.Register(net, cpu);
        SerialConsole.Write(string.Concat("virtio-net: ", net.Location, " (config ", Pci.PciConfig.Mechanism, ") "));
        byte[] mac = net.HardwareAddress;
        for (int i = 0; i < mac.Length; i++)
        {
            if (i > 0) SerialConsole.Write(":");
            SerialConsole.Write(PciFunction.Hex(mac[i], 2));
        }
        SerialConsole.Write(", mtu ");
        SerialConsole.WriteDec(net.Mtu);
        SerialConsole.Write(net.LinkUp ? ", link up" : ", link down");
        SerialConsole.Write(net.ChecksumOffload ? ", checksum offload, " : ", ");
        SerialConsole.Write(string.Concat(net.InterruptKind, " vector "));
        SerialConsole.Write(string.Concat("0x", PciFunction.Hex(vector, 2)));
        SerialConsole.Write(" to CPU ");
        SerialConsole.WriteDec(cpu);
        SerialConsole.Write("\n");
        return net;
    }

    // Safety: CpuLocal.All holds CpuLocal.Count live per-CPU blocks once every CPU is up; cpu < that count.
    private static unsafe uint ApicId(int cpu) => CpuLocal.All[cpu]->ApicId;
}

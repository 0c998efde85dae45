// The machine's end on metal: the kernel's figures and the exit status as
// lines on COM2 (the host's control channel: `./kevlar run` reads the status,
// and prints the figures with --kernel-stats), then QEMU's isa-debug-exit.
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Text;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalSystemControl : ISystemControl
{
    public void PowerOff(int exitStatus)
    {
        ControlPort.Write(string.Concat("stat heap-live-kib-after-last-collection ", NumberText.Decimal((long)(GcHeap.LiveBytesAfterLastCollection >> 10)), "\n"));
        ControlPort.Write(string.Concat("stat collections ", NumberText.Decimal(GcHeap.Collections), "\n"));
        ControlPort.Write(string.Concat("stat free-pages ", NumberText.Decimal((long)(PhysicalMemory.FreeBytes >> 12)), "\n"));
        ControlPort.Write(string.Concat("exit ", NumberText.Decimal(exitStatus), "\n"));
        QemuExit.Pass();
    }
}

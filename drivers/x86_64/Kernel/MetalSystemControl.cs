// The machine's end on metal: the exit status as a line on COM2 (the host's
// control channel), then QEMU's isa-debug-exit.
using System;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Devices;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalSystemControl : ISystemControl
{
    public void PowerOff(int exitStatus)
    {
        ControlPort.Write(string.Concat("exit ", Kevlar.Runtime.Text.NumberText.Decimal(exitStatus), "\n"));
        QemuExit.Pass();
    }
}

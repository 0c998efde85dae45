// The console device on metal: the serial line (COM1).
using System;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Devices;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalConsole : IConsoleDevice
{
    public void Write(ReadOnlySpan<byte> bytes) => SerialConsole.WriteBytes(bytes, CpuLocal.CurrentIndex);
}

// The console device on metal: the serial line (COM1), bytes exactly as
// given — a tty's OPOST (the console Terminal's line discipline) does output
// processing; the kernel's own messages (SerialConsole.Put) add their \r.
using System;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Devices;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalConsole : IConsoleDevice
{
    public void Write(ReadOnlySpan<byte> bytes) => SerialConsole.WriteRawBytes(bytes, CpuLocal.CurrentIndex);
}

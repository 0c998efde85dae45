// Ends the QEMU run through the isa-debug-exit device (port 0xF4): writing v
// makes QEMU exit with status 2v+1. Pass is v=0x10 (status 33) and fail v=1
// (status 3), so neither can be mistaken for QEMU's own error status 1. On a
// machine without the device the write is ignored and the CPU halts.
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Diagnostics;

public static class QemuExit
{
    private const ushort Port = 0xF4;

    public static void Pass() => Exit(0x10);
    public static void Fail() => Exit(1);

    private static void Exit(byte value)
    {
        Native.Out32(Port, value);
        while (true) Native.StiHltCli();
    }
}

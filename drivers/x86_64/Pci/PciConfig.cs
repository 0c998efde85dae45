// PCI configuration space through configuration mechanism #1 (PCI Local Bus
// Specification 3.0, §3.2.2.3.2): write the enable bit, bus, device, function
// and dword offset to CONFIG_ADDRESS (port 0xCF8), then read or write
// CONFIG_DATA (port 0xCFC; a byte or word at 0xCFC + offset % 4). This reaches
// the first 256 bytes of each function, which is all the virtio and MSI-X
// structures need; the enhanced (MCFG) window is not used yet.
//
// State: none kept; the two-port sequence is not atomic across CPUs, so only
// the boot CPU touches configuration space (device probing at start-up).
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Pci;

public static class PciConfig
{
    private const ushort Address = 0xCF8, Data = 0xCFC;
    private const uint Enable = 0x8000_0000;

    private static void Select(int bus, int device, int function, int offset)
        => Native.Out32(Address, Enable | (uint)bus << 16 | (uint)device << 11 | (uint)function << 8 | (uint)(offset & 0xFC));

    public static uint Read32(int bus, int device, int function, int offset)
    {
        Select(bus, device, function, offset);
        return Native.In32(Data);
    }

    public static ushort Read16(int bus, int device, int function, int offset)
        => (ushort)(Read32(bus, device, function, offset) >> ((offset & 2) * 8));

    public static byte Read8(int bus, int device, int function, int offset)
        => (byte)(Read32(bus, device, function, offset) >> ((offset & 3) * 8));

    public static void Write32(int bus, int device, int function, int offset, uint value)
    {
        Select(bus, device, function, offset);
        Native.Out32(Data, value);
    }

    public static void Write16(int bus, int device, int function, int offset, ushort value)
    {
        Select(bus, device, function, offset);
        Native.Out16((ushort)(Data + (offset & 2)), value);
    }
}

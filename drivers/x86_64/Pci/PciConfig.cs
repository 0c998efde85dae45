// PCI configuration space: through the enhanced (ECAM) window ACPI's MCFG
// table gives (PCI Express Base Specification §7.2.2: each function's 4 KiB
// at base + bus << 20 | device << 15 | function << 12, mapped uncached page by
// page as functions are touched), else through configuration mechanism #1
// (PCI Local Bus Specification 3.0, §3.2.2.3.2): write the enable bit, bus,
// device, function and dword offset to CONFIG_ADDRESS (port 0xCF8), then read
// or write CONFIG_DATA (port 0xCFC; a byte or word at 0xCFC + offset % 4).
// Only the first 256 bytes are used (the virtio and MSI-X structures).
//
// State: the window, set once at boot; the two-port sequence is not atomic
// across CPUs, so only the boot CPU touches configuration space (device
// probing at start-up).
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Pci;

public static class PciConfig
{
    private const ushort Address = 0xCF8, Data = 0xCFC;
    private const uint Enable = 0x8000_0000;

    private static ulong s_ecam;          // the window's physical base (0: use the ports)
    private static int s_startBus, s_endBus;

    /// <summary>Uses the ECAM window at <paramref name="physicalBase"/> for buses
    /// <paramref name="startBus"/>-<paramref name="endBus"/> (MCFG). Boot CPU, before probing.</summary>
    public static void UseEnhanced(ulong physicalBase, int startBus, int endBus)
    {
        s_ecam = physicalBase;
        s_startBus = startBus;
        s_endBus = endBus;
    }

    /// <summary>"ECAM" or "ports": how configuration space is reached (for the boot line).</summary>
    public static string Mechanism => s_ecam != 0 ? "ECAM" : "ports";

    // The function's configuration page through the direct map, mapped on first use; 0 outside the window.
    private static ulong Page(int bus, int device, int function)
    {
        if (s_ecam == 0 || bus < s_startBus || bus > s_endBus) return 0;
        ulong physical = s_ecam + ((ulong)(bus - s_startBus) << 20 | (ulong)device << 15 | (ulong)function << 12);
        ulong virt = DirectMap.Base + physical;
        if (!PageTables.IsMapped(virt)) PageTables.MapMmio(physical, 0x1000);
        return virt;
    }

    private static void Select(int bus, int device, int function, int offset)
        => Native.Out32(Address, Enable | (uint)bus << 16 | (uint)device << 11 | (uint)function << 8 | (uint)(offset & 0xFC));

    public static uint Read32(int bus, int device, int function, int offset)
    {
        ulong page = Page(bus, device, function);
        if (page != 0) return ReadMmio(page + (ulong)(offset & 0xFFC));
        Select(bus, device, function, offset);
        return Native.In32(Data);
    }

    // Safety: the address is inside a configuration page Page mapped uncached.
    private static unsafe uint ReadMmio(ulong address) => *(uint*)address;

    // Safety: as ReadMmio.
    private static unsafe void WriteMmio32(ulong address, uint value) => *(uint*)address = value;

    // Safety: as ReadMmio.
    private static unsafe void WriteMmio16(ulong address, ushort value) => *(ushort*)address = value;

    public static ushort Read16(int bus, int device, int function, int offset)
        => (ushort)(Read32(bus, device, function, offset) >> ((offset & 2) * 8));

    public static byte Read8(int bus, int device, int function, int offset)
        => (byte)(Read32(bus, device, function, offset) >> ((offset & 3) * 8));

    public static void Write32(int bus, int device, int function, int offset, uint value)
    {
        ulong page = Page(bus, device, function);
        if (page != 0)
        {
            WriteMmio32(page + (ulong)(offset & 0xFFC), value);
            return;
        }
        Select(bus, device, function, offset);
        Native.Out32(Data, value);
    }

    public static void Write16(int bus, int device, int function, int offset, ushort value)
    {
        ulong page = Page(bus, device, function);
        if (page != 0)
        {
            WriteMmio16(page + (ulong)(offset & 0xFFE), value);
            return;
        }
        Select(bus, device, function, offset);
        Native.Out16((ushort)(Data + (offset & 2)), value);
    }
}

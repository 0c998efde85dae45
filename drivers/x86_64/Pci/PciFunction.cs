// One PCI function found on the bus: its address, identity and the type-0
// header fields a driver needs (PCI Local Bus Specification 3.0, §6.1):
// vendor 0x00, device 0x02, command 0x04 (bit 1 memory space, bit 2 bus
// master, bit 10 INTx disable), status 0x06 (bit 4: a capability list),
// class/subclass 0x0B/0x0A, header type 0x0E, BARs 0x10-0x24, subsystem
// device 0x2E, capability pointer 0x34, interrupt line 0x3C.
namespace Kevlar.Drivers.X86_64.Pci;

public sealed class PciFunction
{
    public const int CommandMemory = 1 << 1, CommandBusMaster = 1 << 2, CommandInterruptDisable = 1 << 10;
    private const int StatusCapabilities = 1 << 4;

    public readonly int Bus, Device, Function;
    public readonly ushort VendorId, DeviceId;
    public readonly byte Class, Subclass;

    public PciFunction(int bus, int device, int function)
    {
        Bus = bus;
        Device = device;
        Function = function;
        VendorId = Read16(0x00);
        DeviceId = Read16(0x02);
        Class = Read8(0x0B);
        Subclass = Read8(0x0A);
    }

    public ushort SubsystemId => Read16(0x2E);

    public uint Read32(int offset) => PciConfig.Read32(Bus, Device, Function, offset);
    public ushort Read16(int offset) => PciConfig.Read16(Bus, Device, Function, offset);
    public byte Read8(int offset) => PciConfig.Read8(Bus, Device, Function, offset);
    public void Write16(int offset, ushort value) => PciConfig.Write16(Bus, Device, Function, offset, value);

    /// <summary>The physical address BAR <paramref name="index"/> decodes (memory BARs, 32- or
    /// 64-bit, §6.2.5.1); 0 for an I/O BAR or one the firmware left unassigned.</summary>
    public ulong BarAddress(int index)
    {
        if (index < 0 || index > 5) return 0;
        uint low = Read32(0x10 + 4 * index);
        if ((low & 1) != 0) return 0;
        ulong address = low & 0xFFFF_FFF0;
        if ((low >> 1 & 3) == 2 && index < 5) address |= (ulong)Read32(0x14 + 4 * index) << 32;
        return address;
    }

    /// <summary>Turns on memory decoding and bus mastering (the device may then DMA), and with
    /// <paramref name="noIntx"/> turns its INTx pin off (MSI-X is used instead).</summary>
    public void Enable(bool noIntx)
    {
        int command = Read16(0x04) | CommandMemory | CommandBusMaster;
        if (noIntx) command |= CommandInterruptDisable;
        Write16(0x04, (ushort)command);
    }

    /// <summary>The config-space offset of the first capability with <paramref name="id"/> at or
    /// after the one at <paramref name="after"/>'s successor (0: from the start), or 0 when none.
    /// The walk stops after 48 entries so a looping list cannot hang boot.</summary>
    public int FindCapability(int id, int after = 0)
    {
        if ((Read16(0x06) & StatusCapabilities) == 0) return 0;
        int at = after == 0 ? Read8(0x34) & 0xFC : Read8(after + 1) & 0xFC;
        for (int n = 0; at >= 0x40 && n < 48; n++)
        {
            if (Read8(at) == id) return at;
            at = Read8(at + 1) & 0xFC;
        }
        return 0;
    }

    /// <summary>"bb:dd.f", as lspci prints it.</summary>
    public string Name => string.Concat(Hex(Bus, 2), ":", Hex(Device, 2), ".", Hex(Function, 1));

    /// <summary><paramref name="value"/> in <paramref name="digits"/> lower-case hex digits.</summary>
    internal static string Hex(int value, int digits)
    {
        var c = new char[digits];
        for (int i = digits - 1; i >= 0; i--, value >>= 4) c[i] = "0123456789abcdef"[value & 0xF];
        return new string(c);
    }
}

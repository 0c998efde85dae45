// MSI-X (PCI Local Bus Specification 3.0, §6.8.2): capability ID 0x11;
// Message Control at +2 (bits 10:0 table size - 1, bit 14 function mask,
// bit 15 enable), Table Offset/BIR at +4 (BIR in bits 2:0). Each table entry is
// 16 bytes: message address low, high, message data, vector control (bit 0
// masked). On x86 (Intel SDM vol. 3, §11.11) the address is 0xFEE00000 with
// the destination APIC ID in bits 19:12 (physical mode), and the data is the
// vector, fixed delivery, edge triggered.
using Kevlar.Drivers.X86_64.Memory;

namespace Kevlar.Drivers.X86_64.Pci;

public sealed class MsiX
{
    public const int CapabilityId = 0x11;
    private const int Enabled = 1 << 15, FunctionMask = 1 << 14;

    private readonly PciFunction _function;
    private readonly int _capability;
    private readonly ulong _table;   // the table through the direct map (uncached)
    public readonly int TableSize;

    private MsiX(PciFunction function, int capability, ulong table, int size)
    {
        _function = function;
        _capability = capability;
        _table = table;
        TableSize = size;
    }

    /// <summary>The function's MSI-X table, mapped; null when it has none or its BAR is unassigned.</summary>
    public static MsiX? Find(PciFunction function)
    {
        int at = function.FindCapability(CapabilityId);
        if (at == 0) return null;
        int size = (function.Read16(at + 2) & 0x7FF) + 1;
        uint tableField = function.Read32(at + 4);
        ulong bar = function.BarAddress((int)(tableField & 7));
        if (bar == 0) return null;
        ulong physical = bar + (tableField & ~7u);
        return new MsiX(function, at, PageTables.MapMmio(physical, (ulong)size * 16), size);
    }

    /// <summary>Points entry <paramref name="entry"/> at <paramref name="vector"/> on the local APIC
    /// <paramref name="apicId"/> and unmasks it.</summary>
    public void Route(int entry, int vector, uint apicId)
    {
        ulong e = _table + (ulong)entry * 16;
        Write(e + 12, 1);
        Write(e, 0xFEE0_0000u | (apicId & 0xFF) << 12);
        Write(e + 4, 0);
        Write(e + 8, (uint)(byte)vector);
        Write(e + 12, 0);
    }

    /// <summary>Turns MSI-X on for the function (and INTx off).</summary>
    public void Enable()
    {
        int control = _function.Read16(_capability + 2);
        _function.Write16(_capability + 2, (ushort)((control | Enabled) & ~FunctionMask));
    }

    // Safety: address is inside the MSI-X table Find mapped (entry < TableSize is the caller's).
    private static unsafe void Write(ulong address, uint value) => *(uint*)address = value;
}

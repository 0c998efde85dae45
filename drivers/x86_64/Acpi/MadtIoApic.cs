// MadtIoApic: an I/O APIC from an MADT type 1 entry (ACPI 6.5 §5.2.12.3).
namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>
/// Entry layout (12 bytes): +2 u8 I/O APIC ID, +3 reserved, +4 u32 address,
/// +8 u32 global system interrupt base.
/// </summary>
public readonly struct MadtIoApic
{
    /// <summary>I/O APIC ID.</summary>
    public readonly byte Id;
    /// <summary>Physical address of its register window.</summary>
    public readonly uint Address;
    /// <summary>First global system interrupt it serves.</summary>
    public readonly uint GsiBase;

    /// <summary>Creates an I/O APIC entry.</summary>
    public MadtIoApic(byte id, uint address, uint gsiBase)
    {
        Id = id;
        Address = address;
        GsiBase = gsiBase;
    }
}

// MadtInterruptOverride: an Interrupt Source Override, MADT type 2 (ACPI 6.5
// §5.2.12.5): an ISA IRQ that reaches the I/O APIC on another GSI or with
// non-ISA polarity/trigger.
namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>
/// Entry layout (10 bytes): +2 u8 bus (0 = ISA), +3 u8 source IRQ, +4 u32
/// global system interrupt, +8 u16 MPS INTI flags.
/// </summary>
public readonly struct MadtInterruptOverride
{
    /// <summary>Flags bits 0–1: polarity (0 bus default, 1 active high, 3 active low).</summary>
    public const ushort PolarityMask = 0x3;
    /// <summary>Flags bits 2–3: trigger mode (0 bus default, 1 edge, 3 level).</summary>
    public const ushort TriggerMask = 0xC;

    /// <summary>Bus, 0 for ISA.</summary>
    public readonly byte Bus;
    /// <summary>Bus-relative IRQ (the ISA IRQ number).</summary>
    public readonly byte SourceIrq;
    /// <summary>Global system interrupt the IRQ is wired to.</summary>
    public readonly uint Gsi;
    /// <summary>MPS INTI flags (polarity and trigger mode).</summary>
    public readonly ushort Flags;

    /// <summary>Creates an override entry.</summary>
    public MadtInterruptOverride(byte bus, byte sourceIrq, uint gsi, ushort flags)
    {
        Bus = bus;
        SourceIrq = sourceIrq;
        Gsi = gsi;
        Flags = flags;
    }

    /// <summary>True when the flags say level-triggered.</summary>
    public bool IsLevelTriggered => (Flags & TriggerMask) == 0xC;

    /// <summary>True when the flags say active low.</summary>
    public bool IsActiveLow => (Flags & PolarityMask) == 0x3;
}

// MadtLocalApicNmi: which LINT pin carries NMI, MADT type 4 (ACPI 6.5
// §5.2.12.7) or type 0xA for x2APIC (§5.2.12.13).
namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>A local APIC NMI source.</summary>
public readonly struct MadtLocalApicNmi
{
    /// <summary>UID that means "every processor" (0xFF in type 4, 0xFFFFFFFF in type 0xA).</summary>
    public const uint AllProcessors = 0xFFFFFFFF;

    /// <summary>Processor UID, or <see cref="AllProcessors"/>.</summary>
    public readonly uint ProcessorUid;
    /// <summary>MPS INTI flags.</summary>
    public readonly ushort Flags;
    /// <summary>Local APIC LINT input (0 or 1).</summary>
    public readonly byte Lint;

    /// <summary>Creates an NMI entry.</summary>
    public MadtLocalApicNmi(uint processorUid, ushort flags, byte lint)
    {
        ProcessorUid = processorUid;
        Flags = flags;
        Lint = lint;
    }
}

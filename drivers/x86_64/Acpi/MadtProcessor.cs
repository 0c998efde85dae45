// MadtProcessor: a CPU's local APIC from a Processor Local APIC (type 0) or
// Processor Local x2APIC (type 9) MADT entry (ACPI 6.5 §5.2.12.2, §5.2.12.12).
namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>One CPU the firmware lists as enabled or online-capable.</summary>
public readonly struct MadtProcessor
{
    /// <summary>Flag bit 0: the CPU is usable now.</summary>
    public const uint FlagEnabled = 1;
    /// <summary>Flag bit 1: the CPU is disabled but may be brought online (hot-plug).</summary>
    public const uint FlagOnlineCapable = 2;

    /// <summary>ACPI processor UID (matches the DSDT's processor objects).</summary>
    public readonly uint ProcessorUid;
    /// <summary>Local APIC ID (8-bit for type 0, 32-bit x2APIC ID for type 9).</summary>
    public readonly uint ApicId;
    /// <summary>Raw flags.</summary>
    public readonly uint Flags;
    /// <summary>True when the entry was a type 9 x2APIC entry.</summary>
    public readonly bool IsX2Apic;

    /// <summary>Creates a processor entry.</summary>
    public MadtProcessor(uint processorUid, uint apicId, uint flags, bool isX2Apic)
    {
        ProcessorUid = processorUid;
        ApicId = apicId;
        Flags = flags;
        IsX2Apic = isX2Apic;
    }

    /// <summary>True when the CPU may be started now.</summary>
    public bool IsEnabled => (Flags & FlagEnabled) != 0;
}

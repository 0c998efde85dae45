// AcpiSignature: four-character table signatures as the little-endian u32 a
// header's first four bytes read as.
namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>Table signatures compared as u32 (first character in the low byte).</summary>
public static class AcpiSignature
{
    /// <summary>"RSDT": root table with 32-bit entries.</summary>
    public const uint Rsdt = 0x54445352;
    /// <summary>"XSDT": root table with 64-bit entries.</summary>
    public const uint Xsdt = 0x54445358;
    /// <summary>"APIC": the MADT.</summary>
    public const uint Madt = 0x43495041;
    /// <summary>"HPET".</summary>
    public const uint Hpet = 0x54455048;
    /// <summary>"MCFG": PCI Express's enhanced configuration windows.</summary>
    public const uint Mcfg = 0x4746434D;
    /// <summary>"FACP": the FADT.</summary>
    public const uint Fadt = 0x50434146;

    /// <summary>Builds a signature from its four ASCII characters.</summary>
    public static uint FromChars(char a, char b, char c, char d)
    {
        return (uint)(byte)a | ((uint)(byte)b << 8) | ((uint)(byte)c << 16) | ((uint)(byte)d << 24);
    }
}

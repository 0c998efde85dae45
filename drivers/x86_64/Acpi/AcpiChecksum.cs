// AcpiChecksum: ACPI's byte-sum check (ACPI 6.5 §5.2.5.3, §5.2.6).
using System;

namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>A structure is valid when all its bytes sum to zero modulo 256.</summary>
public static class AcpiChecksum
{
    /// <summary>Sum of <paramref name="bytes"/> modulo 256.</summary>
    public static byte Sum(ReadOnlySpan<byte> bytes)
    {
        int sum = 0;
        for (int i = 0; i < bytes.Length; i++)
            sum += bytes[i];
        return (byte)sum;
    }

    /// <summary>True when <paramref name="bytes"/> sum to zero.</summary>
    public static bool IsValid(ReadOnlySpan<byte> bytes) => Sum(bytes) == 0;
}

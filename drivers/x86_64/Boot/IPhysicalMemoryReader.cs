// IPhysicalMemoryReader: the one way boot-info and ACPI parsers touch physical
// memory. On metal it copies from the identity map; on the host, tests feed it
// bytes captured from QEMU.
using System;

namespace Kevlar.Drivers.X86_64.Boot;

/// <summary>Reads physical memory into a buffer.</summary>
public interface IPhysicalMemoryReader
{
    /// <summary>
    /// Copies <c>dest.Length</c> bytes starting at <paramref name="physAddr"/>.
    /// Returns false (and leaves <paramref name="dest"/> unspecified) when any
    /// byte of the range is not readable.
    /// </summary>
    bool TryRead(ulong physAddr, Span<byte> dest);
}

// AcpiError: why ACPI discovery or a table parse failed. Garbage tables give
// one of these, never a crash.
namespace Kevlar.Drivers.X86_64.Acpi;

/// <summary>Result of an ACPI lookup or parse.</summary>
public enum AcpiError
{
    /// <summary>Success.</summary>
    None = 0,
    /// <summary>The physical memory reader refused an address.</summary>
    ReadFailed,
    /// <summary>No valid RSDP at the given address or in the BIOS areas.</summary>
    RsdpNotFound,
    /// <summary>The RSDP's checksum (20 bytes) or extended checksum (its length) is wrong.</summary>
    BadRsdpChecksum,
    /// <summary>A table does not carry the signature it was looked up by.</summary>
    BadSignature,
    /// <summary>A table's bytes do not sum to zero.</summary>
    BadChecksum,
    /// <summary>A table's length is shorter than its fixed part or longer than allowed.</summary>
    BadLength,
    /// <summary>An entry runs past the end of its table.</summary>
    Truncated,
    /// <summary>An entry is shorter than its type requires (a length below 2 would loop forever).</summary>
    MalformedEntry,
    /// <summary>The root table lists no table with that signature.</summary>
    TableNotFound,
}

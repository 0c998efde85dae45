// PvhError: why the PVH start-of-day information could not be read.
namespace Kevlar.Drivers.X86_64.Boot;

/// <summary>Result of reading <c>hvm_start_info</c> and what it points to.</summary>
public enum PvhError
{
    /// <summary>Success.</summary>
    None = 0,
    /// <summary>The reader refused an address (unmapped or out of range).</summary>
    ReadFailed,
    /// <summary>The magic field is not <c>XEN_HVM_START_MAGIC_VALUE</c>.</summary>
    BadMagic,
    /// <summary>A field says "not present" (zero address) or an index is out of range.</summary>
    NotPresent,
    /// <summary>The command line is not NUL-terminated within the caller's buffer.</summary>
    CommandLineTooLong,
}

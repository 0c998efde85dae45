// CpioError: why a cpio archive could not be read. A malformed initramfs
// gives one of these, never a crash.
namespace Kevlar.Vfs.Initramfs;

/// <summary>Result of reading a cpio archive.</summary>
public enum CpioError
{
    /// <summary>Success.</summary>
    None = 0,
    /// <summary>A header does not start with "070701" (newc) or "070702" (crc).</summary>
    BadMagic,
    /// <summary>A header field holds something other than 8 hex digits.</summary>
    BadHex,
    /// <summary>A header, name or file data runs past the end of the archive.</summary>
    Truncated,
    /// <summary>A header gives namesize 0 (the name must at least hold its NUL).</summary>
    EmptyName,
    /// <summary>The last byte of a name is not NUL.</summary>
    MissingNul,
    /// <summary>After a trailer, the next archive does not start on a 4-byte boundary.</summary>
    BadPadding,
    /// <summary>A "crc" (070702) regular file's bytes do not sum to its check field.</summary>
    BadChecksum,
}

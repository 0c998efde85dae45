// Capability: the filesystem capabilities the VFS asks about, with Linux's
// numbers (include/uapi/linux/capability.h).
namespace Kevlar.Vfs;

/// <summary>A Linux capability the VFS checks.</summary>
public enum Capability
{
    /// <summary>Change file owners and groups.</summary>
    CAP_CHOWN = 0,
    /// <summary>Bypass read, write and execute permission checks.</summary>
    CAP_DAC_OVERRIDE = 1,
    /// <summary>Bypass read and search permission checks.</summary>
    CAP_DAC_READ_SEARCH = 2,
    /// <summary>Act as a file's owner (chmod, utimes, sticky directories).</summary>
    CAP_FOWNER = 3,
    /// <summary>Keep setgid on chmod and chown.</summary>
    CAP_FSETID = 4,
    /// <summary>Create device nodes.</summary>
    CAP_MKNOD = 27,
}

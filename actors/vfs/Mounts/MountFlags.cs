// MountFlags: the per-mount flags of mount(2) (include/uapi/linux/mount.h)
// the VFS honours.
namespace Kevlar.Vfs.Mounts;

/// <summary>MS_* flags of a mount.</summary>
public static class MountFlags
{
    /// <summary>Read-only: changes through this mount are -EROFS.</summary>
    public const uint MS_RDONLY = 1;
    /// <summary>Ignore setuid and setgid bits on exec.</summary>
    public const uint MS_NOSUID = 2;
    /// <summary>Device nodes cannot be opened (-EACCES).</summary>
    public const uint MS_NODEV = 4;
    /// <summary>Files cannot be executed.</summary>
    public const uint MS_NOEXEC = 8;
    /// <summary>Do not update access times.</summary>
    public const uint MS_NOATIME = 1024;
    /// <summary>Do not update directory access times.</summary>
    public const uint MS_NODIRATIME = 2048;

    /// <summary>The flags a mount keeps (the rest of mount(2)'s flags are requests).</summary>
    public const uint PerMount = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME;
}

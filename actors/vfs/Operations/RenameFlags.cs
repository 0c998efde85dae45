// RenameFlags: renameat2(2) flags (include/uapi/linux/fs.h).
namespace Kevlar.Vfs.Operations;

/// <summary>RENAME_* flags.</summary>
public static class RenameFlags
{
    /// <summary>Fail with -EEXIST instead of replacing the target.</summary>
    public const uint RENAME_NOREPLACE = 1;
    /// <summary>Swap the two names atomically; both must exist.</summary>
    public const uint RENAME_EXCHANGE = 2;
    /// <summary>Leave a whiteout at the source (overlayfs); not supported here: -EINVAL.</summary>
    public const uint RENAME_WHITEOUT = 4;
}

// FileMode: the permission bits of a mode and the access masks of a
// permission check, with Linux's names (include/uapi/linux/stat.h,
// include/linux/fs.h MAY_*).
namespace Kevlar.Vfs;

/// <summary>Mode bits below the file type, and permission-check masks.</summary>
public static class FileMode
{
    /// <summary>Set-user-id on execution.</summary>
    public const uint S_ISUID = 0x800;
    /// <summary>Set-group-id on execution; on a directory, new entries take its group.</summary>
    public const uint S_ISGID = 0x400;
    /// <summary>Sticky: in a directory, only owners may remove or rename entries.</summary>
    public const uint S_ISVTX = 0x200;
    /// <summary>Group execute.</summary>
    public const uint S_IXGRP = 0x8;
    /// <summary>Execute for anyone (S_IXUSR | S_IXGRP | S_IXOTH).</summary>
    public const uint S_IXUGO = 0x49;
    /// <summary>Every bit chmod may set (S_ISUID | S_ISGID | S_ISVTX | 0777).</summary>
    public const uint S_IALLUGO = 0xFFF;
    /// <summary>The rwx bits.</summary>
    public const uint S_IRWXUGO = 0x1FF;

    /// <summary>Permission to execute a file or search a directory.</summary>
    public const int MAY_EXEC = 1;
    /// <summary>Permission to write.</summary>
    public const int MAY_WRITE = 2;
    /// <summary>Permission to read.</summary>
    public const int MAY_READ = 4;
}

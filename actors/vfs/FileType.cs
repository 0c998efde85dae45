// FileType: the file-type bits of an inode's mode, with Linux's names and
// values (include/uapi/linux/stat.h; octal there, hex here).
namespace Kevlar.Vfs;

/// <summary>The S_IFMT field of a mode and its values.</summary>
public static class FileType
{
    /// <summary>Mask of the type bits.</summary>
    public const uint S_IFMT = 0xF000;
    /// <summary>Socket.</summary>
    public const uint S_IFSOCK = 0xC000;
    /// <summary>Symbolic link.</summary>
    public const uint S_IFLNK = 0xA000;
    /// <summary>Regular file.</summary>
    public const uint S_IFREG = 0x8000;
    /// <summary>Block device.</summary>
    public const uint S_IFBLK = 0x6000;
    /// <summary>Directory.</summary>
    public const uint S_IFDIR = 0x4000;
    /// <summary>Character device.</summary>
    public const uint S_IFCHR = 0x2000;
    /// <summary>FIFO.</summary>
    public const uint S_IFIFO = 0x1000;

    /// <summary>The type bits of <paramref name="mode"/> (one of the S_IF* values, or 0 for none).</summary>
    public static uint Of(uint mode) => mode & S_IFMT;
}

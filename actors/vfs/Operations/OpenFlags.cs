// VfsOpenFlags: the open(2) flags the VFS interprets (x86_64 values,
// include/uapi/asm-generic/fcntl.h). Named apart from the process actor's
// own OpenFlags so both can be in scope.
namespace Kevlar.Vfs.Operations;

/// <summary>O_* flags Namespace.Open understands.</summary>
public static class VfsOpenFlags
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    /// <summary>The access-mode bits.</summary>
    public const int O_ACCMODE = 3;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_TRUNC = 0x200;
    public const int O_APPEND = 0x400;
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;
}

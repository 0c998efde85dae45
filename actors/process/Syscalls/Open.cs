// open(2), openat(2): the initramfs is read-only, so a write access mode,
// O_CREAT of a missing file or O_TRUNC is -EROFS (-EEXIST first for O_CREAT|O_EXCL
// of an existing one); the character devices and the console open by path.
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Open
{
    public static long InvokeOpen(UserThread t, in SyscallArgs a) => Do(t.Process, PathLookup.AT_FDCWD, a.Pointer(0), a.Int(1));

    public static long InvokeOpenat(UserThread t, in SyscallArgs a) => Do(t.Process, a.Fd(0), a.Pointer(1), a.Int(2));

    public static long Do(UserProcess p, int dirfd, ulong pathAddress, int flags)
    {
        int r = PathLookup.ReadPath(p, pathAddress, out string path);
        if (r != 0) return r;
        if (path.Length == 0) return -Errno.ENOENT;
        int access = flags & OpenFlags.O_ACCMODE;
        bool cloexec = (flags & OpenFlags.O_CLOEXEC) != 0;
        int keep = flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY | OpenFlags.O_TRUNC);
        OpenFile? file = DeviceFile.ForPath(path, keep);
        if (file == null && (path == "/dev/console" || path == "/dev/tty"))
        {
            var console = new ConsoleFile(p.Host.Console);
            console.StatusFlags = keep;
            file = console;
        }
        if (file == null)
        {
            r = PathLookup.Resolve(p, dirfd, path, (flags & OpenFlags.O_NOFOLLOW) == 0, out InitramfsNode? node);
            if (r == -Errno.ENOENT && (flags & OpenFlags.O_CREAT) != 0) return -Errno.EROFS;
            if (r != 0 || node == null) return r != 0 ? r : -Errno.ENOENT;
            if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) return -Errno.EEXIST;
            if ((flags & OpenFlags.O_NOFOLLOW) != 0 && Vfs.FileType.Of(node.Mode) == Vfs.FileType.S_IFLNK) return -Errno.ELOOP;
            if ((flags & OpenFlags.O_DIRECTORY) != 0 && !node.IsDirectory) return -Errno.ENOTDIR;
            if (node.IsDirectory && access != OpenFlags.O_RDONLY) return -Errno.EISDIR;
            if (access != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0) return -Errno.EROFS;
            file = new InitramfsFile(p.Host.Files, node, keep);
        }
        return p.Files.Allocate(file, cloexec, 0, FdLimit(p));
    }

    /// <summary>The fd numbers a process may use: RLIMIT_NOFILE's soft limit.</summary>
    public static int FdLimit(UserProcess p)
    {
        ulong n = p.Limits.Soft(ResourceLimits.RLIMIT_NOFILE);
        return n > ResourceLimits.NrOpen ? (int)ResourceLimits.NrOpen : (int)n;
    }
}

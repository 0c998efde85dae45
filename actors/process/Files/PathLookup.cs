// PathLookup: what the *at() syscalls need before the VfsActor resolves a
// path — the path read from user memory (PATH_MAX → -ENAMETOOLONG, a bad
// pointer -EFAULT) and the context it starts from: an absolute path from the
// process's root, a relative one from the working directory (AT_FDCWD) or
// from dirfd's directory (-EBADF for a closed fd, -ENOTDIR for a file).
using Kevlar.Process.Files.Vfs;
using Kevlar.Process.Memory;
using Kevlar.Runtime.Text;
using Kevlar.Vfs;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Files;

public static class PathLookup
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EACCESS = 0x200,
        AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000;

    /// <summary>Reads a path argument: 0, -EFAULT or -ENAMETOOLONG.</summary>
    public static int ReadPath(UserProcess p, ulong address, out string path)
    {
        path = string.Empty;
        int r = p.UserMemory.ReadCString(address, UserMemory.PathMax, out byte[] bytes);
        if (r != 0) return r;
        path = Latin1.Decode(bytes);
        return 0;
    }

    /// <summary>Reads the path at <paramref name="pathAddress"/> and the context it resolves in:
    /// 0, -EFAULT, -ENAMETOOLONG, -EBADF or -ENOTDIR.</summary>
    public static int Prepare(UserProcess p, int dirfd, ulong pathAddress, out string path, out PathContext ctx)
    {
        int r = ReadPath(p, pathAddress, out path);
        int c = Context(p, dirfd, path, out ctx);
        return r != 0 ? r : c;
    }

    /// <summary>The caller's filesystem identity (fsuid follows the effective uid, as without setfsuid).</summary>
    public static Credentials CredentialsOf(UserProcess p) => new Credentials(p.Euid, p.Egid, p.Groups);

    /// <summary>The context (dirfd, path) resolves in: 0, -EBADF or -ENOTDIR.</summary>
    public static int Context(UserProcess p, int dirfd, string path, out PathContext ctx)
    {
        ctx = new PathContext(CredentialsOf(p), p.Root, p.Cwd, p.Pid);
        // An empty path is -ENOENT (or AT_EMPTY_PATH's dirfd itself) before dirfd is looked at.
        if (path.Length == 0 || path[0] == '/') return 0;
        if (dirfd == AT_FDCWD) return 0;
        OpenFile? f = p.Files.Get(dirfd);
        if (f == null) return -Errno.EBADF;
        var dir = f as VfsFile;
        if (dir == null || !dir.Location.Inode.IsDirectory) return -Errno.ENOTDIR;
        ctx = ctx.At(dir.Location);
        return 0;
    }

    /// <summary>The open file behind dirfd for AT_EMPTY_PATH: the description, or null for
    /// AT_FDCWD (the working directory); -EBADF in <paramref name="error"/> for a closed fd.</summary>
    public static OpenFile? EmptyPathTarget(UserProcess p, int dirfd, out int error)
    {
        error = 0;
        if (dirfd == AT_FDCWD) return null;
        OpenFile? f = p.Files.Get(dirfd);
        if (f == null) error = -Errno.EBADF;
        return f;
    }
}

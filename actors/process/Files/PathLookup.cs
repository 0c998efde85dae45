// PathLookup: turns a (dirfd, user path) pair into an initramfs node or a
// device, the way the *at() syscalls do: AT_FDCWD means the working
// directory, an absolute path ignores dirfd, an empty path is -ENOENT unless
// AT_EMPTY_PATH names the fd itself. The path is read from user memory with
// the PATH_MAX limit (-ENAMETOOLONG) and -EFAULT for a bad pointer.
using Kevlar.Process.Memory;
using Kevlar.Runtime.Text;

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

    /// <summary>The directory relative paths start from: 0, -EBADF or -ENOTDIR.</summary>
    public static int StartDirectory(UserProcess p, int dirfd, string path, out InitramfsNode start)
    {
        start = p.CwdNode;
        if (path.Length > 0 && path[0] == '/') return 0;
        if (dirfd == AT_FDCWD) return 0;
        OpenFile? f = p.Files.Get(dirfd);
        if (f == null) return -Errno.EBADF;
        var dir = f as InitramfsFile;
        if (dir == null || !dir.Node.IsDirectory) return -Errno.ENOTDIR;
        start = dir.Node;
        return 0;
    }

    /// <summary>Resolves (dirfd, path): 0 or -errno.</summary>
    public static int Resolve(UserProcess p, int dirfd, string path, bool followLast, out InitramfsNode? node)
    {
        node = null;
        int r = StartDirectory(p, dirfd, path, out InitramfsNode start);
        if (r != 0) return r;
        return p.Host.Files.Resolve(start, path, followLast, out node);
    }

    /// <summary>The absolute path of a node (for getcwd).</summary>
    public static string AbsolutePath(InitramfsNode node)
    {
        if (node.Parent == node) return "/";
        string s = string.Empty;
        InitramfsNode at = node;
        while (at.Parent != at)
        {
            s = string.Concat("/", at.Name, s);
            at = at.Parent!;
        }
        return s;
    }
}

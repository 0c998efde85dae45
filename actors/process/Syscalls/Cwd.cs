// getcwd(2), chdir(2), fchdir(2): the working directory. getcwd returns the
// length including the NUL, -ERANGE when the buffer is too small.
using Kevlar.Process.Files;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Syscalls;

public static class Cwd
{
    public static long Getcwd(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        byte[] path = Latin1.Encode(PathLookup.AbsolutePath(p.CwdNode)) ?? new byte[0];
        if (a.Size(1) < (ulong)path.Length + 1) return -Errno.ERANGE;
        var withNul = new byte[path.Length + 1];
        System.Array.Copy(path, 0, withNul, 0, path.Length);
        int r = p.UserMemory.Write(a.Pointer(0), withNul);
        return r != 0 ? r : withNul.Length;
    }

    public static long Chdir(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        int r = PathLookup.ReadPath(p, a.Pointer(0), out string path);
        if (r != 0) return r;
        r = PathLookup.Resolve(p, PathLookup.AT_FDCWD, path, true, out InitramfsNode? node);
        if (r != 0 || node == null) return r != 0 ? r : -Errno.ENOENT;
        if (!node.IsDirectory) return -Errno.ENOTDIR;
        p.CwdNode = node;
        return 0;
    }

    public static long Fchdir(UserThread t, in SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        var dir = f as InitramfsFile;
        if (dir == null || !dir.Node.IsDirectory) return -Errno.ENOTDIR;
        t.Process.CwdNode = dir.Node;
        return 0;
    }
}

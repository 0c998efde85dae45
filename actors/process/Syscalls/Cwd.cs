// getcwd(2), chdir(2), fchdir(2), chroot(2): the working and root
// directories. getcwd returns the length including the NUL, -ERANGE when the
// buffer is too small, and a path prefixed "(unreachable)" when the working
// directory lies outside the root, as Linux does. chdir needs search
// permission on the directory; chroot needs CAP_SYS_CHROOT (-EPERM).
using System;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Text;
using Kevlar.Vfs;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class Cwd
{
    public static KernelTask<long> Getcwd(UserThread t, SyscallArgs a)
    {
        UserProcess p = t.Process;
        Location cwd = p.Cwd, root = p.Root;
        MountTree mounts = p.Mounts;
        var text = new string[1];
        ulong buffer = a.Pointer(0), size = a.Size(1);
        return Finish(t, p.Host.Vfs.Run(t, () => mounts.PathOf(cwd, root, out text[0])), text, buffer, size);
    }

    private static async KernelTask<long> Finish(UserThread t, KernelTask<long> lookup, string[] text, ulong buffer, ulong size)
    {
        long r = await lookup;
        if (r != 0) return r;
        byte[] path = Latin1.Encode(text[0]) ?? new byte[0];
        if (size < (ulong)path.Length + 1) return -Errno.ERANGE;
        var withNul = new byte[path.Length + 1];
        Array.Copy(path, 0, withNul, 0, path.Length);
        int w = t.Process.UserMemory.Write(buffer, withNul);
        return w != 0 ? w : withNul.Length;
    }

    public static KernelTask<long> Chdir(UserThread t, SyscallArgs a) => ChangeTo(t, a.Pointer(0), false);

    public static KernelTask<long> Chroot(UserThread t, SyscallArgs a)
    {
        if (t.Process.Euid != 0) return KernelTask<long>.FromResult(-Errno.EPERM);
        return ChangeTo(t, a.Pointer(0), true);
    }

    private static KernelTask<long> ChangeTo(UserThread t, ulong pathAddress, bool root)
    {
        UserProcess p = t.Process;
        int r = PathLookup.Prepare(p, PathLookup.AT_FDCWD, pathAddress, out string path, out PathContext ctx);
        if (r != 0) return KernelTask<long>.FromResult(r);
        var ns = p.Host.Vfs.Namespace;
        var found = new Location[1];
        return Apply(t, p.Host.Vfs.Run(t, () =>
        {
            int e = ns.Lookup(ctx, path, true, out found[0]);
            if (e != 0) return e;
            if (!found[0].Inode.IsDirectory) return -Errno.ENOTDIR;
            return Permission.Check(ctx.Credentials, found[0].Inode, FileMode.MAY_EXEC);
        }), found, root);
    }

    private static async KernelTask<long> Apply(UserThread t, KernelTask<long> lookup, Location[] found, bool root)
    {
        long r = await lookup;
        if (r != 0) return r;
        if (root) t.Process.Root = found[0];
        else t.Process.Cwd = found[0];
        return 0;
    }

    public static long Fchdir(UserThread t, in SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        var dir = f as VfsFile;
        if (dir == null || !dir.Location.Inode.IsDirectory) return -Errno.ENOTDIR;
        t.Process.Cwd = dir.Location;
        return 0;
    }
}

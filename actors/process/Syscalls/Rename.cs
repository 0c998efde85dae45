// rename(2), renameat(2), renameat2(2): move a name, with RENAME_NOREPLACE,
// RENAME_EXCHANGE and RENAME_WHITEOUT (on tmpfs; needs CAP_MKNOD). Both
// paths are read before the VfsActor runs it.
using Kevlar.Process.Files;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class Rename
{
    public static KernelTask<long> InvokeRename(UserThread t, SyscallArgs a)
        => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), PathLookup.AT_FDCWD, a.Pointer(1), 0);

    public static KernelTask<long> InvokeRenameat(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Fd(2), a.Pointer(3), 0);

    public static KernelTask<long> InvokeRenameat2(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Fd(2), a.Pointer(3), a.UInt(4));

    private static KernelTask<long> Do(UserThread t, int oldDirfd, ulong oldAddress, int newDirfd, ulong newAddress, uint flags)
    {
        UserProcess p = t.Process;
        int r = PathLookup.Prepare(p, oldDirfd, oldAddress, out string oldPath, out PathContext from);
        if (r != 0) return KernelTask<long>.FromResult(r);
        r = PathLookup.Prepare(p, newDirfd, newAddress, out string newPath, out PathContext to);
        if (r != 0) return KernelTask<long>.FromResult(r);
        var ns = p.Host.Vfs.Namespace;
        return p.Host.Vfs.Run(t, () => ns.Rename(from, oldPath, to, newPath, flags));
    }
}

// readlink(2), readlinkat(2): a symbolic link's target, not NUL-terminated,
// truncated to the buffer; -EINVAL for a size ≤ 0 or a file that is not a
// link. /proc/self/exe (and /proc/<own pid>/exe) name the running program
// until procfs exists.
using System;
using Kevlar.Process.Files;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Text;
using Kevlar.Vfs.Paths;

namespace Kevlar.Process.Syscalls;

public static class Readlink
{
    public static KernelTask<long> InvokeReadlink(UserThread t, SyscallArgs a) => Do(t, PathLookup.AT_FDCWD, a.Pointer(0), a.Pointer(1), a.Long(2));

    public static KernelTask<long> InvokeReadlinkat(UserThread t, SyscallArgs a) => Do(t, a.Fd(0), a.Pointer(1), a.Pointer(2), a.Long(3));

    public static KernelTask<long> Do(UserThread t, int dirfd, ulong pathAddress, ulong buffer, long size)
    {
        UserProcess p = t.Process;
        if (size <= 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        int r = PathLookup.Prepare(p, dirfd, pathAddress, out string path, out PathContext ctx);
        if (r != 0) return KernelTask<long>.FromResult(r);
        var target = new string[1];
        if (path == "/proc/self/exe" || path == string.Concat("/proc/", p.OwnPid.ToString(), "/exe"))
        {
            target[0] = p.ExecutablePath;
            return KernelTask<long>.FromResult(CopyOut(p, target[0], buffer, size));
        }
        var ns = p.Host.Vfs.Namespace;
        return Finish(t, p.Host.Vfs.Run(t, () => ns.Readlink(ctx, path, out target[0])), target, buffer, size);
    }

    private static async KernelTask<long> Finish(UserThread t, KernelTask<long> lookup, string[] target, ulong buffer, long size)
    {
        long r = await lookup;
        return r != 0 ? r : CopyOut(t.Process, target[0], buffer, size);
    }

    private static long CopyOut(UserProcess p, string target, ulong buffer, long size)
    {
        byte[] bytes = Latin1.Encode(target) ?? new byte[0];
        int n = (int)Math.Min(size, bytes.Length);
        int r = p.UserMemory.Write(buffer, new ReadOnlySpan<byte>(bytes, 0, n));
        return r != 0 ? r : n;
    }
}

// mkdir(2), mkdirat(2), mknod(2), mknodat(2): a new directory or node, its
// mode cut by the umask (mknod's type bits kept: regular, FIFO, socket, and
// with CAP_MKNOD character and block devices), created by the VfsActor with
// Linux's errors (-EEXIST, -ENOENT, -ENOTDIR, -EACCES, -EROFS, -EPERM).
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs;

namespace Kevlar.Process.Syscalls;

public static class Mkdir
{
    public static KernelTask<long> InvokeMkdir(UserThread t, SyscallArgs a) => DoMkdir(t, PathLookup.AT_FDCWD, a.Pointer(0), a.UInt(1));

    public static KernelTask<long> InvokeMkdirat(UserThread t, SyscallArgs a) => DoMkdir(t, a.Fd(0), a.Pointer(1), a.UInt(2));

    public static KernelTask<long> InvokeMknod(UserThread t, SyscallArgs a) => DoMknod(t, PathLookup.AT_FDCWD, a.Pointer(0), a.UInt(1), a.UInt(2));

    public static KernelTask<long> InvokeMknodat(UserThread t, SyscallArgs a) => DoMknod(t, a.Fd(0), a.Pointer(1), a.UInt(2), a.UInt(3));

    private static KernelTask<long> DoMkdir(UserThread t, int dirfd, ulong path, uint mode)
    {
        uint m = mode & 0xFFF & ~t.Process.Umask;
        var ns = t.Process.Host.Vfs.Namespace;
        return VfsPath.Run(t, dirfd, path, (ctx, p) => ns.Mkdir(ctx, p, m));
    }

    private static KernelTask<long> DoMknod(UserThread t, int dirfd, ulong path, uint mode, uint device)
    {
        uint type = FileType.Of(mode);
        if (type == 0) type = FileType.S_IFREG; // mknod(2): a zero type means a regular file
        if (type == FileType.S_IFDIR) return KernelTask<long>.FromResult(-Errno.EPERM);
        if (type != FileType.S_IFREG && type != FileType.S_IFCHR && type != FileType.S_IFBLK && type != FileType.S_IFIFO && type != FileType.S_IFSOCK)
            return KernelTask<long>.FromResult(-Errno.EINVAL);
        uint m = type | (mode & 0xFFF & ~t.Process.Umask);
        // The syscall takes a 32-bit dev_t in the kernel's new_encode_dev layout.
        ulong raw = DeviceNumber.Make((device & 0xFFF00) >> 8, (device & 0xFF) | ((device >> 12) & 0xFFF00));
        var ns = t.Process.Host.Vfs.Namespace;
        return VfsPath.Run(t, dirfd, path, (ctx, p) => ns.Mknod(ctx, p, m, raw));
    }
}

// truncate(2), ftruncate(2): set a regular file's size (holes read as
// zeros). ftruncate needs an fd open for writing (-EINVAL otherwise, as
// Linux); a negative length is -EINVAL; past RLIMIT_FSIZE -EFBIG.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs;
using Kevlar.Vfs.Inodes;
using Kevlar.Vfs.Operations;

namespace Kevlar.Process.Syscalls;

public static class Truncate
{
    public static KernelTask<long> InvokeTruncate(UserThread t, SyscallArgs a)
    {
        long length = a.Long(1);
        if (length < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        var cred = PathLookup.CredentialsOf(t.Process);
        return VfsPath.OnFile(t, PathLookup.AT_FDCWD, a.Pointer(0), true, false, at => Namespace.Truncate(cred, at, length));
    }

    public static KernelTask<long> InvokeFtruncate(UserThread t, SyscallArgs a)
    {
        long length = a.Long(1);
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        var file = f as VfsFile;
        if (file == null || (f.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY || file.IsPathOnly)
            return KernelTask<long>.FromResult(file != null && file.IsPathOnly ? -Errno.EBADF : -Errno.EINVAL);
        if (length < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        return t.Process.Host.Vfs.Run(t, () =>
        {
            // The fd was opened for writing: ftruncate checks no permission again (do_ftruncate).
            var regular = file.Location.Inode as RegularInode;
            if (regular == null) return -Errno.EINVAL;
            return Namespace.SetSize(regular, length);
        });
    }
}

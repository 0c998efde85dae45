// lseek(2): moves an fd's offset; -EINVAL for a bad whence or a negative
// result, -ESPIPE for a pipe or a device that cannot seek, -ENXIO for
// SEEK_DATA/SEEK_HOLE past the end. Files on the VfsActor seek there.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Lseek
{
    public const int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        int whence = a.Int(2);
        var file = f as VfsFile;
        if (file != null)
            return file.IsPathOnly ? KernelTask<long>.FromResult(-Errno.EBADF) : file.SeekAsync(t, a.Long(1), whence);
        var control = f as Files.Cgroups.CgroupFile;
        if (control != null) return control.SeekAsync(t, a.Long(1), whence);
        if (whence < SEEK_SET || whence > SEEK_END) return KernelTask<long>.FromResult(-Errno.EINVAL);
        return KernelTask<long>.FromResult(f.Seek(a.Long(1), whence));
    }
}

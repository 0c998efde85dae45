// fallocate(2) and fadvise64(2) on tmpfs-backed files. fallocate mode 0
// allocates a page for every page of the range that has none and grows the
// file to offset+len, -ENOSPC (and nothing kept) when space runs out, as
// shmem_fallocate; FALLOC_FL_KEEP_SIZE allocates without growing;
// FALLOC_FL_PUNCH_HOLE (with KEEP_SIZE, as required) frees the range's pages
// and zeroes its partial ones, allocating nothing. Other modes are -EOPNOTSUPP. -EBADF unless open for writing,
// -ESPIPE for pipes, -ENODEV for other non-regular files, -EINVAL for a
// negative offset or non-positive length, -EFBIG past the size limit.
// fadvise64 only checks its arguments (the page cache it advises does not
// exist for tmpfs): -EINVAL for an unknown advice, -ESPIPE for a pipe.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;
using Kevlar.Vfs.Inodes;

namespace Kevlar.Process.Syscalls;

public static class Fallocate
{
    public const int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;

    public static KernelTask<long> InvokeFallocate(UserThread t, SyscallArgs a)
    {
        int mode = a.Int(1);
        long offset = a.Long(2), length = a.Long(3);
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null || (f.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY) return Done(-Errno.EBADF);
        if (f is PipeEnd) return Done(-Errno.ESPIPE);
        var file = f as VfsFile;
        if (file == null || !(file.Location.Inode is RegularInode regular)) return Done(file != null && file.IsDirectory ? -Errno.EISDIR : -Errno.ENODEV);
        if (offset < 0 || length <= 0) return Done(-Errno.EINVAL);
        if ((mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) != 0) return Done(-Errno.EOPNOTSUPP);
        if ((mode & FALLOC_FL_PUNCH_HOLE) != 0 && (mode & FALLOC_FL_KEEP_SIZE) == 0) return Done(-Errno.EOPNOTSUPP);
        if (offset > long.MaxValue - length) return Done(-Errno.EFBIG);
        long end = offset + length;
        if (end > regular.Filesystem.MaxFileSize) return Done(-Errno.EFBIG);
        if (regular.Filesystem.GeneratedContents) return Done(-Errno.EOPNOTSUPP);
        return t.Process.Host.Vfs.Run(t, () =>
        {
            if ((mode & FALLOC_FL_PUNCH_HOLE) != 0)
            {
                regular.PunchHole(offset, end);
                return 0;
            }
            return regular.Allocate(offset, end, (mode & FALLOC_FL_KEEP_SIZE) != 0);
        });
    }

    public static long InvokeFadvise64(UserThread t, in SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        if (f is PipeEnd) return -Errno.ESPIPE;
        int advice = a.Int(3);
        if (advice < 0 || advice > 5 || a.Long(2) < 0) return -Errno.EINVAL;
        return 0;
    }

    private static KernelTask<long> Done(long r) => KernelTask<long>.FromResult(r);
}

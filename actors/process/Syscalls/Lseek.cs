// lseek(2): moves an fd's offset; -EINVAL for a bad whence, -ESPIPE for a device.
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Lseek
{
    public const int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        OpenFile? f = t.Process.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        int whence = a.Int(2);
        if (whence < SEEK_SET || whence > SEEK_END) return -Errno.EINVAL;
        return f.Seek(a.Long(1), whence);
    }
}

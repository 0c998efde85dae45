// sendfile(2), copy_file_range(2): bytes from a regular file to another file
// without a trip through user memory. The source must be a regular file here
// (-EINVAL otherwise, as Linux for sendfile from a pipe or socket); the
// destination any file that takes kernel bytes (a pipe, a regular file, a
// memory device, a socket). With an offset pointer the source's offset stays and the
// pointer advances; without, the source's own offset moves. -EBADF for the
// wrong access modes, -EINVAL for O_APPEND destinations of copy_file_range
// (-EBADF, as Linux) and for flags, -EFAULT for a bad offset pointer.
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Sendfile
{
    private const int Chunk = 65536;

    public static KernelTask<long> InvokeSendfile(UserThread t, SyscallArgs a)
        => Start(t, a.Fd(1), a.Pointer(2), a.Fd(0), 0, a.Size(3), false);

    public static KernelTask<long> InvokeCopyFileRange(UserThread t, SyscallArgs a)
    {
        if (a.UInt(5) != 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        return Start(t, a.Fd(0), a.Pointer(1), a.Fd(2), a.Pointer(3), a.Size(4), true);
    }

    private static KernelTask<long> Start(UserThread t, int inFd, ulong inOffset, int outFd, ulong outOffset, ulong count, bool copyRange)
    {
        OpenFile? input = t.Process.Files.Get(inFd), output = t.Process.Files.Get(outFd);
        if (input == null || output == null) return KernelTask<long>.FromResult(-Errno.EBADF);
        if ((input.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY || (output.StatusFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY)
            return KernelTask<long>.FromResult(-Errno.EBADF);
        var source = input as VfsFile;
        if (source == null || source.IsDirectory) return KernelTask<long>.FromResult(source != null ? -Errno.EISDIR : -Errno.EINVAL);
        var target = output as VfsFile;
        if (copyRange)
        {
            if (target == null || target.IsDirectory) return KernelTask<long>.FromResult(target != null ? -Errno.EISDIR : -Errno.EINVAL);
            if ((output.StatusFlags & OpenFlags.O_APPEND) != 0) return KernelTask<long>.FromResult(-Errno.EBADF);
        }
        long from = -1, to = -1;
        if (inOffset != 0)
        {
            if (t.Process.UserMemory.ReadUInt64(inOffset, out ulong v) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
            if ((long)v < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
            from = (long)v;
        }
        if (outOffset != 0)
        {
            if (t.Process.UserMemory.ReadUInt64(outOffset, out ulong v) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
            if ((long)v < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
            to = (long)v;
        }
        if (count > ReadWrite.MaxCount) count = ReadWrite.MaxCount;
        return Copy(t, source, output, target, from, inOffset, to, outOffset, count);
    }

    private static async KernelTask<long> Copy(UserThread t, VfsFile source, OpenFile output, VfsFile? target,
        long from, ulong inOffset, long to, ulong outOffset, ulong count)
    {
        long done = 0;
        while ((ulong)done < count)
        {
            var data = new byte[(int)System.Math.Min((ulong)Chunk, count - (ulong)done)];
            long got = await source.TakeBytes(t, data, from < 0 ? -1 : from + done);
            if (got < 0) return done > 0 ? done : got;
            if (got == 0) break;
            long put = target != null ? await target.PutBytes(t, data, (int)got, to < 0 ? -1 : to + done) : await output.WriteBytesAsync(t, data, (int)got);
            if (put < got)
            {
                // What was read but not written goes back: the source's own offset must match
                // the bytes that moved (a caller falling back to read/write starts there).
                if (from < 0) await source.SeekAsync(t, -(got - (put > 0 ? put : 0)), Lseek.SEEK_CUR);
                if (put < 0) return done > 0 ? done : put;
                done += put;
                break;
            }
            done += put;
        }
        if (inOffset != 0) t.Process.UserMemory.WriteUInt64(inOffset, (ulong)(from + done));
        if (outOffset != 0) t.Process.UserMemory.WriteUInt64(outOffset, (ulong)(to + done));
        return done;
    }
}

// pipe(2), pipe2(2): a new pipe (an actor homed on the caller's CPU) and two
// fds, read end first, written to the user's int[2]. pipe2 takes O_CLOEXEC,
// O_NONBLOCK and O_DIRECT (packet mode is not kept: accepted, bytes stream);
// any other flag is -EINVAL. -EMFILE when two fds are not free, -EFAULT for a
// bad array — and then no fd stays open.
using System;
using System.Buffers.Binary;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Pipes;

namespace Kevlar.Process.Syscalls;

public static class PipeCreate
{
    private const int O_DIRECT = 0x4000;

    public static long InvokePipe(UserThread t, in SyscallArgs a) => Do(t, a.Pointer(0), 0);

    public static long InvokePipe2(UserThread t, in SyscallArgs a) => Do(t, a.Pointer(0), a.Int(1));

    public static long Do(UserThread t, ulong fdsAddress, int flags)
    {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | O_DIRECT)) != 0) return -Errno.EINVAL;
        UserProcess p = t.Process;
        var pipe = new Pipe { Readers = 1, Writers = 1, ReaderOpens = 1, WriterOpens = 1 };
        p.Host.Scheduler.Register(pipe, p.Host.Scheduler.Platform.CurrentCpu);
        int status = flags & OpenFlags.O_NONBLOCK;
        var reader = new PipeEnd(pipe, false, OpenFlags.O_RDONLY | status);
        var writer = new PipeEnd(pipe, true, OpenFlags.O_WRONLY | status);
        bool cloexec = (flags & OpenFlags.O_CLOEXEC) != 0;
        int limit = Open.FdLimit(p);
        int r = p.Files.Allocate(reader, cloexec, 0, limit);
        if (r < 0) return Abandon(pipe, r);
        int w = p.Files.Allocate(writer, cloexec, 0, limit);
        if (w < 0)
        {
            p.Files.Close(r);
            return w;
        }
        Span<byte> fds = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(fds, r);
        BinaryPrimitives.WriteInt32LittleEndian(fds.Slice(4), w);
        if (p.UserMemory.Write(fdsAddress, fds) != 0)
        {
            p.Files.Close(r);
            p.Files.Close(w);
            return -Errno.EFAULT;
        }
        return 0;
    }

    private static long Abandon(Pipe pipe, int error)
    {
        pipe.Readers = pipe.Writers = 0;
        return error;
    }
}

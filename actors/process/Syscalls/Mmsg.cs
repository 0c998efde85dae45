// sendmmsg(2), recvmmsg(2): several messages in one call — an array of
// struct mmsghdr (64 bytes: a msghdr, then u32 msg_len and 4 of padding),
// each sent or received as sendmsg/recvmsg would, its count written to
// msg_len. vlen is cut to UIO_MAXIOV. The call returns how many were done;
// an error on the first is the call's error, an error after some ends the
// call with the count (recvmmsg keeps a non-EAGAIN error as the socket's
// SO_ERROR in Linux; not kept here). recvmmsg's MSG_WAITFORONE makes every
// receive after the first non-blocking; its timeout (a struct timespec, -EFAULT
// / -EINVAL when bad) is checked after each message, as Linux does. -EBADF,
// -ENOTSOCK before anything.
using Kevlar.Net;
using Kevlar.Process.Files.Sockets;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Mmsg
{
    public const int MSG_WAITFORONE = 0x10000;
    private const ulong EntrySize = 64, LengthOffset = 56;

    public static KernelTask<long> InvokeSendmmsg(UserThread t, SyscallArgs a)
    {
        SocketFile? s = SocketArgs.Get(t, a.Fd(0), out long error);
        if (s == null) return KernelTask<long>.FromResult(error);
        return Loop(t, a.Fd(0), a.Pointer(1), a.UInt(2), a.Int(3), 0, true);
    }

    public static KernelTask<long> InvokeRecvmmsg(UserThread t, SyscallArgs a)
    {
        SocketFile? s = SocketArgs.Get(t, a.Fd(0), out long error);
        if (s == null) return KernelTask<long>.FromResult(error);
        ulong deadline = 0;
        if (a.Pointer(4) != 0)
        {
            int r = t.Process.UserMemory.ReadTimespec(a.Pointer(4), out ulong ns);
            if (r != 0) return KernelTask<long>.FromResult(r);
            deadline = t.Process.Host.Clock.MonotonicNanoseconds + ns;
        }
        return Loop(t, a.Fd(0), a.Pointer(1), a.UInt(2), a.Int(3), deadline, false);
    }

    private static async KernelTask<long> Loop(UserThread t, int fd, ulong vector, uint count, int flags, ulong deadline, bool send)
    {
        if (count > IoVector.MaxCount) count = IoVector.MaxCount;
        long done = 0, r = 0;
        for (uint i = 0; i < count; i++)
        {
            ulong entry = vector + i * EntrySize;
            r = send ? await Send.Message(t, fd, entry, flags) : await Recv.Message(t, fd, entry, flags & ~MSG_WAITFORONE);
            if (r < 0) break;
            if (t.Process.UserMemory.WriteInt32(entry + LengthOffset, (int)r) != 0)
            {
                r = -Errno.EFAULT;
                break;
            }
            done++;
            if ((flags & MSG_WAITFORONE) != 0) flags |= SocketConstants.MSG_DONTWAIT;
            if (deadline != 0 && t.Process.Host.Clock.MonotonicNanoseconds >= deadline) break;
        }
        return done > 0 ? done : r;
    }
}

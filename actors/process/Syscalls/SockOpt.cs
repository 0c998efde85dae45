// getsockopt(2), setsockopt(2) for AF_UNIX at level SOL_SOCKET (socket(7);
// the options in UnixSocket.Options.cs). getsockopt reads *optlen (-EFAULT;
// -EINVAL when negative), writes at most that many bytes of the value and the
// length written back. setsockopt copies optlen bytes in (-EINVAL when
// negative or too short for the option, -EFAULT). Unknown options are
// -ENOPROTOOPT; other levels -EOPNOTSUPP, as AF_UNIX has no protocol options.
// Other families (ProtocolSocketFile) answer every level on their actor:
// AF_INET SOL_SOCKET, IPPROTO_IP (IP_TTL, IP_TOS) and for TCP IPPROTO_TCP
// (TCP_NODELAY, TCP_MAXSEG, TCP_KEEP*); any other level or option is
// -ENOPROTOOPT, as udp_getsockopt and ip_getsockopt answer.
using System;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class SockOpt
{
    private const int MaxValue = 256;

    public static KernelTask<long> InvokeGetsockopt(UserThread t, SyscallArgs a)
    {
        SocketFile? s = SocketArgs.Get(t, a.Fd(0), out long error);
        if (s == null) return KernelTask<long>.FromResult(error);
        int level = a.Int(1);
        if (s is UnixSocketFile && level != SocketConstants.SOL_SOCKET) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        return Get(t, s, level, a.Int(2), a.Pointer(3), a.Pointer(4));
    }

    private static async KernelTask<long> Get(UserThread t, SocketFile s, int level, int name, ulong value, ulong lengthAddress)
    {
        Memory.UserMemory memory = t.Process.UserMemory;
        var len = new byte[4];
        if (memory.Read(lengthAddress, len) != 0) return -Errno.EFAULT;
        int room = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(len);
        if (room < 0) return -Errno.EINVAL;
        var bytes = new byte[16];
        long n;
        if (s is ProtocolSocketFile protocol) n = await protocol.GetOption(t, level, name, bytes);
        else
        {
            UnixSocket socket = ((UnixSocketFile)s).Socket;
            n = await socket.Run(t, () => socket.GetOption(name, bytes));
            // The peer's pid is kept as the kernel's number: the caller gets its own namespace's.
            if (name == SocketConstants.SO_PEERCRED && n > 0 && t.Process.PidNs.Level > 0)
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes,
                    t.Process.PidNs.NumberOfGlobal(System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes)));
        }
        if (n < 0) return n;
        int give = Math.Min(room, (int)n);
        if (give > 0 && memory.Write(value, new ReadOnlySpan<byte>(bytes, 0, give)) != 0) return -Errno.EFAULT;
        return memory.WriteInt32(lengthAddress, give) != 0 ? -Errno.EFAULT : 0;
    }

    public static KernelTask<long> InvokeSetsockopt(UserThread t, SyscallArgs a)
    {
        SocketFile? s = SocketArgs.Get(t, a.Fd(0), out long error);
        if (s == null) return KernelTask<long>.FromResult(error);
        int level = a.Int(1);
        if (s is UnixSocketFile && level != SocketConstants.SOL_SOCKET) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        int length = a.Int(4);
        if (length < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        var bytes = new byte[Math.Min(length, MaxValue)];
        if (bytes.Length > 0 && t.Process.UserMemory.Read(a.Pointer(3), bytes) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
        int name = a.Int(2);
        if (s is ProtocolSocketFile protocol) return protocol.SetOption(t, level, name, bytes);
        UnixSocket socket = ((UnixSocketFile)s).Socket;
        return socket.Run(t, () => socket.SetOption(name, bytes));
    }
}

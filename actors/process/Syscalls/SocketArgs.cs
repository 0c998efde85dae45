// SocketArgs: what the socket syscalls share before their own work — the fd
// turned into a socket (-EBADF for a closed fd, -ENOTSOCK for any other
// file), a sockaddr copied in (move_addr_to_kernel: a length outside
// [0, 128] is -EINVAL, a bad pointer -EFAULT), and an address copied out
// (move_addr_to_user: *addrlen read, -EINVAL when negative, the address cut
// to it, the full length written back).
using System;
using Kevlar.Net;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Sockets;

namespace Kevlar.Process.Syscalls;

public static class SocketArgs
{
    /// <summary>The socket behind <paramref name="fd"/>, or null with -EBADF / -ENOTSOCK in <paramref name="error"/>.</summary>
    public static SocketFile? Get(UserThread t, int fd, out long error)
    {
        OpenFile? f = t.Process.Files.Get(fd);
        var s = f as SocketFile;
        error = f == null ? -Errno.EBADF : s == null ? -Errno.ENOTSOCK : 0;
        return s;
    }

    /// <summary>Copies a sockaddr of <paramref name="length"/> bytes in: 0, -EINVAL or -EFAULT.</summary>
    public static int CopyIn(UserThread t, ulong address, ulong length, out byte[] bytes)
    {
        bytes = Array.Empty<byte>();
        if ((long)length < 0 || length > UnixAddress.StorageLength || (int)length < 0) return -Errno.EINVAL;
        bytes = new byte[(int)length];
        if (length == 0) return 0;
        return t.Process.UserMemory.Read(address, bytes) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>Writes <paramref name="address"/> (null: nothing, length 0) to user memory:
    /// 0, -EFAULT or -EINVAL.</summary>
    public static int CopyOut(UserThread t, SocketAddress? address, ulong buffer, ulong lengthAddress)
    {
        Memory.UserMemory memory = t.Process.UserMemory;
        var len = new byte[4];
        if (memory.Read(lengthAddress, len) != 0) return -Errno.EFAULT;
        int room = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(len);
        int full = address == null ? 0 : address.Length;
        if (room > full) room = full;
        if (room < 0) return -Errno.EINVAL;
        if (room > 0)
        {
            var bytes = new byte[full];
            address!.Write(bytes);
            if (memory.Write(buffer, new ReadOnlySpan<byte>(bytes, 0, room)) != 0) return -Errno.EFAULT;
        }
        return memory.WriteInt32(lengthAddress, full) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>The caller's credentials as SO_PEERCRED records them (pid, euid, egid).</summary>
    public static UnixCredentials PeerCredentials(UserProcess p) => new UnixCredentials(p.Pid, p.Euid, p.Egid);
}

// MessageHeader: struct msghdr as sendmsg(2) and recvmsg(2) take it (56
// bytes on x86_64): msg_name (8), msg_namelen (u32, then 4 of padding),
// msg_iov (8), msg_iovlen (8), msg_control (8), msg_controllen (8),
// msg_flags (int, then 4 of padding). Read with copy_msghdr_from_user's
// rules: a name length above sizeof(sockaddr_storage) is cut to it, a NULL
// name has length 0; more than UIO_MAXIOV iovecs is -EMSGSIZE; a control
// length above INT_MAX (or this kernel's cap of 64 KiB, Linux's optmem_max
// being 20 KiB to 128 KiB) is -ENOBUFS.
using System;
using System.Buffers.Binary;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets;

namespace Kevlar.Process.Syscalls;

public sealed class MessageHeader
{
    public const int Size = 56;
    public const int MaxControl = 65536;
    public const ulong NameLengthOffset = 8, ControlLengthOffset = 40, FlagsOffset = 48;

    public ulong Name;
    public int NameLength;
    public IoVector Data = null!;
    public ulong Control;
    public int ControlLength;

    /// <summary>Reads the header at <paramref name="address"/> and its iovecs: 0, -EFAULT, -EMSGSIZE,
    /// -EINVAL or -ENOBUFS.</summary>
    public static int Read(UserThread t, ulong address, out MessageHeader header)
    {
        header = new MessageHeader();
        var raw = new byte[Size];
        if (t.Process.UserMemory.Read(address, raw) != 0) return -Errno.EFAULT;
        ReadOnlySpan<byte> b = raw;
        header.Name = BinaryPrimitives.ReadUInt64LittleEndian(b);
        int nameLength = BinaryPrimitives.ReadInt32LittleEndian(b.Slice(8));
        if (nameLength < 0) return -Errno.EINVAL;
        header.NameLength = header.Name == 0 ? 0 : Math.Min(nameLength, UnixAddress.StorageLength);
        ulong controlLength = BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(40));
        if (controlLength > MaxControl) return -Errno.ENOBUFS;
        header.Control = BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(32));
        header.ControlLength = (int)controlLength;
        int r = IoVector.Read(t.Process.UserMemory, BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(16)),
            BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(24)), out IoVector? data);
        if (r != 0) return r;
        header.Data = data!;
        return 0;
    }
}

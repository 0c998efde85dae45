// ControlMessages: sendmsg's and recvmsg's ancillary data (cmsg(3)) for
// AF_UNIX. struct cmsghdr is 16 bytes on x86_64 — u64 cmsg_len, i32
// cmsg_level, i32 cmsg_type — followed by its data; each header starts at a
// multiple of 8 (CMSG_ALIGN).
//
// Parse follows Linux's __scm_send: headers while 16 bytes remain; a header
// whose length is below 16 or past the buffer is -EINVAL; other levels are
// skipped; at SOL_SOCKET, SCM_RIGHTS adds its fds (at most SCM_MAX_FD in all,
// else -EINVAL), SCM_CREDENTIALS must be exactly CMSG_LEN(12) (else
// -EINVAL), any other type is -EINVAL.
//
// ControlWriter follows put_cmsg and scm_detach_fds: what does not fit is cut
// and MSG_CTRUNC set; fds that do not fit are not installed.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Kevlar.Net;

public static class ControlMessages
{
    public const int HeaderSize = 16;

    public static int Align(int n) => (n + 7) & ~7;

    /// <summary>CMSG_LEN(n): a header with n data bytes.</summary>
    public static int Len(int n) => HeaderSize + n;

    /// <summary>CMSG_SPACE(n): the room a message with n data bytes takes.</summary>
    public static int Space(int n) => HeaderSize + Align(n);

    /// <summary>Decodes <paramref name="control"/>: 0, or -EINVAL. SCM_RIGHTS fds are appended to
    /// <paramref name="fds"/>; an SCM_CREDENTIALS message sets <paramref name="credentials"/>.</summary>
    public static int Parse(ReadOnlySpan<byte> control, List<int> fds, out bool hasCredentials, out UnixCredentials credentials)
    {
        hasCredentials = false;
        credentials = default;
        int at = 0;
        while (control.Length - at >= HeaderSize)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(control.Slice(at));
            int level = BinaryPrimitives.ReadInt32LittleEndian(control.Slice(at + 8));
            int type = BinaryPrimitives.ReadInt32LittleEndian(control.Slice(at + 12));
            if (length < HeaderSize || length > (ulong)(control.Length - at)) return -Errno.EINVAL;
            int len = (int)length;
            if (level == SocketConstants.SOL_SOCKET)
            {
                ReadOnlySpan<byte> data = control.Slice(at + HeaderSize, len - HeaderSize);
                if (type == SocketConstants.SCM_RIGHTS)
                {
                    int n = data.Length / 4;
                    if (fds.Count + n > SocketConstants.SCM_MAX_FD) return -Errno.EINVAL;
                    for (int i = 0; i < n; i++) fds.Add(BinaryPrimitives.ReadInt32LittleEndian(data.Slice(i * 4)));
                }
                else if (type == SocketConstants.SCM_CREDENTIALS)
                {
                    if (len != Len(UnixCredentials.Size)) return -Errno.EINVAL;
                    credentials = UnixCredentials.Read(data);
                    hasCredentials = true;
                }
                else return -Errno.EINVAL;
            }
            at += Align(len);
        }
        return 0;
    }
}

/// <summary>recvmsg's control buffer as it fills: Buffer holds the bytes to copy out (Used of
/// them), Flags gains MSG_CTRUNC when something was cut.</summary>
public sealed class ControlWriter
{
    public readonly byte[] Buffer;
    public int Used { get; private set; }
    public int Flags { get; private set; }

    /// <param name="room">msg_controllen (0 when msg_control is NULL).</param>
    public ControlWriter(int room) { Buffer = new byte[room]; }

    private int Room => Buffer.Length - Used;

    /// <summary>put_cmsg: one message, cut to the room left.</summary>
    public void Put(int level, int type, ReadOnlySpan<byte> data)
    {
        if (Room < ControlMessages.HeaderSize)
        {
            Flags |= SocketConstants.MSG_CTRUNC;
            return;
        }
        int length = ControlMessages.Len(data.Length);
        if (Room < length)
        {
            Flags |= SocketConstants.MSG_CTRUNC;
            length = Room;
        }
        Span<byte> at = new Span<byte>(Buffer, Used, Room);
        BinaryPrimitives.WriteUInt64LittleEndian(at, (ulong)length);
        BinaryPrimitives.WriteInt32LittleEndian(at.Slice(8), level);
        BinaryPrimitives.WriteInt32LittleEndian(at.Slice(12), type);
        data.Slice(0, length - ControlMessages.HeaderSize).CopyTo(at.Slice(ControlMessages.HeaderSize));
        Used += Math.Min(ControlMessages.Space(data.Length), Room);
    }

    public void PutCredentials(UnixCredentials c)
    {
        Span<byte> data = stackalloc byte[UnixCredentials.Size];
        c.Write(data);
        Put(SocketConstants.SOL_SOCKET, SocketConstants.SCM_CREDENTIALS, data);
    }

    /// <summary>How many of <paramref name="offered"/> fds fit (scm_detach_fds's fdmax).</summary>
    public int FdsThatFit(int offered)
    {
        int max = Room > ControlMessages.HeaderSize ? (Room - ControlMessages.HeaderSize) / 4 : 0;
        return Math.Min(max, offered);
    }

    /// <summary>The SCM_RIGHTS message for the <paramref name="count"/> fds installed of
    /// <paramref name="offered"/>; MSG_CTRUNC when some were not.</summary>
    public void PutRights(int[] fds, int count, int offered)
    {
        if (count > 0)
        {
            var data = new byte[count * 4];
            for (int i = 0; i < count; i++) BinaryPrimitives.WriteInt32LittleEndian(new Span<byte>(data, i * 4, 4), fds[i]);
            Put(SocketConstants.SOL_SOCKET, SocketConstants.SCM_RIGHTS, data);
        }
        if (count < offered) Flags |= SocketConstants.MSG_CTRUNC;
    }
}

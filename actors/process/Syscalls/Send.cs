// sendto(2), sendmsg(2) (send(2) is sendto with no address on x86_64).
// AF_INET: UdpSocketFile.SendAsync; a control message there is -EINVAL, as
// ip_cmsg_send answers those it does not know. AF_UNIX: The socket's O_NONBLOCK works as MSG_DONTWAIT. An address on a
// datagram socket picks the receiver (decoded as bind's; -EINVAL for a bad
// one); on a stream socket it is -EISCONN (-EOPNOTSUPP unconnected); on a
// seqpacket socket it is ignored. sendmsg's ancillary data (ControlMessages)
// may carry SCM_RIGHTS (each fd -EBADF when closed; the descriptions travel
// in flight and come back to the receiver as new fds) and SCM_CREDENTIALS
// (-EPERM unless they are the caller's pid and one of its uids and gids, or it
// is privileged). MSG_OOB is -EOPNOTSUPP (no out-of-band data here); other
// errors are the delivery's (UnixSocketFile): -ENOTCONN, -EPIPE (and SIGPIPE
// unless MSG_NOSIGNAL), -ECONNREFUSED, -EAGAIN, -EMSGSIZE, -EFAULT.
using System.Collections.Generic;
using Kevlar.Net;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Sockets;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Send
{
    public static KernelTask<long> InvokeSendto(UserThread t, SyscallArgs a)
    {
        ulong length = a.Size(2);
        if (length > (ulong)ReadWrite.MaxCount) length = (ulong)ReadWrite.MaxCount;
        return Do(t, a.Fd(0), IoVector.Single(a.Pointer(1), length), a.Int(3), a.Pointer(4), a.Pointer(4) == 0 ? 0 : a.Size(5), 0, 0);
    }

    public static KernelTask<long> InvokeSendmsg(UserThread t, SyscallArgs a) => Message(t, a.Fd(0), a.Pointer(1), a.Int(2));

    /// <summary>sendmsg of the msghdr at <paramref name="header"/> (also sendmmsg's entries).</summary>
    public static KernelTask<long> Message(UserThread t, int fd, ulong header, int flags)
    {
        int r = MessageHeader.Read(t, header, out MessageHeader m);
        if (r != 0) return KernelTask<long>.FromResult(r);
        return Do(t, fd, m.Data, flags, m.Name, (ulong)m.NameLength, m.Control, m.ControlLength);
    }

    private static KernelTask<long> Do(UserThread t, int fd, IoVector data, int flags, ulong name, ulong nameLength, ulong control, int controlLength)
    {
        SocketFile? f = SocketArgs.Get(t, fd, out long error);
        if (f == null) return KernelTask<long>.FromResult(error);
        if (f is ProtocolSocketFile protocol) return SendProtocol(t, protocol, data, flags, name, nameLength, controlLength);
        if (f is not UnixSocketFile s) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        if ((flags & SocketConstants.MSG_OOB) != 0) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        UnixAddress? to = null;
        if (nameLength != 0)
        {
            int r = SocketArgs.CopyIn(t, name, nameLength, out byte[] bytes);
            if (r != 0) return KernelTask<long>.FromResult(r);
            if (s.Socket.Type == SocketConstants.SOCK_DGRAM)
            {
                r = UnixAddress.Parse(bytes, out UnixAddress parsed);
                if (r != 0) return KernelTask<long>.FromResult(r);
                to = parsed;
            }
            else if (s.Socket.Type == SocketConstants.SOCK_STREAM) to = UnixAddress.Unnamed;
        }
        OpenFile[]? rights = null;
        UnixCredentials? credentials = null;
        if (controlLength > 0)
        {
            long r = Ancillary(t, control, controlLength, out rights, out credentials);
            if (r != 0) return KernelTask<long>.FromResult(r);
        }
        return s.SendAsync(t, data, flags, to, rights, credentials);
    }

    /// <summary>The other families' send: an AF_INET one refuses control messages (CMSG_FIRSTHDR finds a
    /// header only in a buffer that holds one, 16 bytes); the address, when given, goes as bytes.</summary>
    private static KernelTask<long> SendProtocol(UserThread t, ProtocolSocketFile s, IoVector data, int flags, ulong name, ulong nameLength, int controlLength)
    {
        if (s is InetSocketFile && controlLength >= 16) return KernelTask<long>.FromResult(-Errno.EINVAL);
        byte[]? to = null;
        if (nameLength != 0)
        {
            int r = SocketArgs.CopyIn(t, name, nameLength, out to);
            if (r != 0) return KernelTask<long>.FromResult(r);
        }
        return s.SendToAsync(t, data, flags, to);
    }

    /// <summary>Decodes sendmsg's control buffer: 0 with the files (each acquired) and credentials,
    /// or -EFAULT, -EINVAL, -EBADF, -EPERM.</summary>
    private static long Ancillary(UserThread t, ulong control, int length, out OpenFile[]? rights, out UnixCredentials? credentials)
    {
        rights = null;
        credentials = null;
        UserProcess p = t.Process;
        var bytes = new byte[length];
        if (p.UserMemory.Read(control, bytes) != 0) return -Errno.EFAULT;
        var fds = new List<int>();
        int r = ControlMessages.Parse(bytes, fds, out bool hasCredentials, out UnixCredentials c);
        if (r != 0) return r;
        if (hasCredentials)
        {
            bool privileged = p.Euid == 0;
            if (c.Pid != p.OwnPid && !privileged) return -Errno.EPERM;
            if (c.Uid != p.Uid && c.Uid != p.Euid && c.Uid != p.Suid && !privileged) return -Errno.EPERM;
            if (c.Gid != p.Gid && c.Gid != p.Egid && c.Gid != p.Sgid && !privileged) return -Errno.EPERM;
            // The pid named in the sender's namespace, kept as the kernel's number (scm_check_creds).
            int global = p.PidNs.GlobalOf(c.Pid);
            if (global == 0 && c.Pid != 0) return -Errno.ESRCH;
            credentials = new UnixCredentials(global, c.Uid, c.Gid);
        }
        if (fds.Count == 0) return 0;
        var files = new OpenFile[fds.Count];
        for (int i = 0; i < files.Length; i++)
        {
            OpenFile? f = p.Files.Get(fds[i]);
            if (f == null) return -Errno.EBADF;
            files[i] = f;
        }
        for (int i = 0; i < files.Length; i++) files[i].Acquire();
        rights = files;
        return 0;
    }
}

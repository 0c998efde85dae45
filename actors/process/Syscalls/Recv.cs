// recvfrom(2), recvmsg(2) (recv(2) is recvfrom with no address on
// x86_64). The socket's O_NONBLOCK works as MSG_DONTWAIT; MSG_PEEK leaves the
// data queued; MSG_WAITALL waits for the whole request on a stream socket;
// MSG_TRUNC makes a datagram read return the record's whole length, and a
// datagram cut short sets MSG_TRUNC in msg_flags. The source address is the
// sender's name when it sent (length 0 when it had none). recvmsg's control
// buffer gets SCM_CREDENTIALS first when the socket has SO_PASSCRED, then the
// files of an SCM_RIGHTS message as new fds (MSG_CMSG_CLOEXEC marks them
// close-on-exec); what does not fit is cut or closed and MSG_CTRUNC set, as
// put_cmsg and scm_detach_fds do. MSG_OOB is -EOPNOTSUPP; other errors are
// the read's (UnixSocketFile): -EINVAL / -ENOTCONN unconnected, -EAGAIN,
// -ECONNRESET, -EFAULT, -EINTR.
using System;
using Kevlar.Net;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Sockets;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Recv
{
    public static KernelTask<long> InvokeRecvfrom(UserThread t, SyscallArgs a)
    {
        ulong length = a.Size(2);
        if (length > (ulong)ReadWrite.MaxCount) length = (ulong)ReadWrite.MaxCount;
        SocketFile? s = SocketArgs.Get(t, a.Fd(0), out long error);
        if (s == null) return KernelTask<long>.FromResult(error);
        int flags = a.Int(3);
        if ((flags & SocketConstants.MSG_OOB) != 0) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        return From(t, s, IoVector.Single(a.Pointer(1), length), flags, a.Pointer(4), a.Pointer(5));
    }

    private static async KernelTask<long> From(UserThread t, SocketFile s, IoVector data, int flags, ulong address, ulong lengthAddress)
    {
        var received = new SocketFile.Received();
        long n = await s.ReceiveAsync(t, data, flags, address != 0 ? received : null);
        SocketFile.ReleaseRights(received.Rights);
        if (n < 0 || address == 0) return n;
        int r = SocketArgs.CopyOut(t, received.Source, address, lengthAddress);
        return r != 0 ? r : n;
    }

    public static KernelTask<long> InvokeRecvmsg(UserThread t, SyscallArgs a) => Message(t, a.Fd(0), a.Pointer(1), a.Int(2));

    /// <summary>recvmsg into the msghdr at <paramref name="header"/> (also recvmmsg's entries).</summary>
    public static KernelTask<long> Message(UserThread t, int fd, ulong header, int flags)
    {
        int r = MessageHeader.Read(t, header, out MessageHeader m);
        if (r != 0) return KernelTask<long>.FromResult(r);
        SocketFile? s = SocketArgs.Get(t, fd, out long error);
        if (s == null) return KernelTask<long>.FromResult(error);
        if ((flags & SocketConstants.MSG_OOB) != 0) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        return Receive(t, s, header, m, flags);
    }

    private static async KernelTask<long> Receive(UserThread t, SocketFile s, ulong header, MessageHeader m, int flags)
    {
        var received = new SocketFile.Received();
        long n = await s.ReceiveAsync(t, m.Data, flags, received);
        if (n < 0)
        {
            SocketFile.ReleaseRights(received.Rights);
            return n;
        }
        var control = new ControlWriter(m.Control == 0 ? 0 : m.ControlLength);
        if (received.HasCredentials)
        {
            // Sent with the kernel's number for the pid: received with the receiver's namespace's.
            Kevlar.Net.UnixCredentials c = received.Credentials;
            control.PutCredentials(new Kevlar.Net.UnixCredentials(t.Process.PidNs.NumberOfGlobal(c.Pid), c.Uid, c.Gid));
        }
        if (received.Rights != null) Install(t, received.Rights, control, (flags & SocketConstants.MSG_CMSG_CLOEXEC) != 0);
        Memory.UserMemory memory = t.Process.UserMemory;
        if (m.Name != 0)
        {
            int e = SocketArgs.CopyOut(t, received.Source, m.Name, header + MessageHeader.NameLengthOffset);
            if (e != 0) return e;
        }
        else if (memory.WriteInt32(header + MessageHeader.NameLengthOffset, 0) != 0) return -Errno.EFAULT;
        if (control.Used > 0 && memory.Write(m.Control, new ReadOnlySpan<byte>(control.Buffer, 0, control.Used)) != 0) return -Errno.EFAULT;
        if (memory.WriteUInt64(header + MessageHeader.ControlLengthOffset, (ulong)control.Used) != 0) return -Errno.EFAULT;
        if (memory.WriteInt32(header + MessageHeader.FlagsOffset, received.MessageFlags | control.Flags) != 0) return -Errno.EFAULT;
        return n;
    }

    /// <summary>scm_detach_fds: new fds for as many received files as fit the control buffer and the fd
    /// limit, the SCM_RIGHTS message naming them; every in-flight reference is released (a file not
    /// installed is closed).</summary>
    private static void Install(UserThread t, OpenFile[] files, ControlWriter control, bool closeOnExec)
    {
        UserProcess p = t.Process;
        int fit = control.FdsThatFit(files.Length);
        var fds = new int[fit];
        int installed = 0;
        int limit = Open.FdLimit(p);
        while (installed < fit)
        {
            int fd = p.Files.Allocate(files[installed], closeOnExec, 0, limit);
            if (fd < 0) break;
            fds[installed++] = fd;
        }
        control.PutRights(fds, installed, files.Length);
        SocketFile.ReleaseRights(files);
    }
}

// SocketFile: the open file description of a socket of any family — what
// the socket syscalls find behind an fd (SocketArgs.Get). Each family's file
// (UnixSocketFile, InetSocketFile) runs its calls' loops on the calling
// thread against its socket's actor; this base holds what they share: the
// waits with SO_RCVTIMEO / SO_SNDTIMEO deadlines, what a receive produces
// besides its count, and the fstat of a sockfs inode.
using Kevlar.Net;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets;

public abstract class SocketFile : OpenFile
{
    public const uint FIONREAD = 0x541B, SIOCINQ = FIONREAD;

    /// <summary>AF_UNIX or AF_INET.</summary>
    public abstract int Family { get; }

    /// <summary>SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET.</summary>
    public abstract int Type { get; }

    /// <summary>The socket's inode number (sockfs numbers each socket).</summary>
    public abstract ulong Inode { get; }

    private static long s_nextInode = 20000;

    /// <summary>A fresh sockfs inode number, one sequence for every family.</summary>
    public static ulong NewInode() => (ulong)System.Threading.Interlocked.Increment(ref s_nextInode);

    /// <summary>recvfrom / recvmsg / read: the count or -errno; the source and message flags in
    /// <paramref name="received"/> when given.</summary>
    public abstract KernelTask<long> ReceiveAsync(UserThread t, IoVector data, int flags, Received? received);

    /// <summary>read(2) on a socket: a recv with no flags.</summary>
    public override KernelTask<long> ReadAsync(UserThread t, ulong buffer, ulong count)
        => ReceiveAsync(t, IoVector.Single(buffer, count), 0, null);

    /// <summary>write(2) on a socket: a send with no flags.</summary>
    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
        => SendAsync(t, IoVector.Single(buffer, count), 0);

    /// <summary>send / write / writev to the connected peer (or a datagram socket's default
    /// target): the count or -errno.</summary>
    public abstract KernelTask<long> SendAsync(UserThread t, IoVector data, int flags);

    /// <summary>sendfile's bytes to a socket: a send of kernel bytes, as sock_sendpage makes it.</summary>
    public override KernelTask<long> WriteBytesAsync(UserThread t, byte[] data, int count) => SendAsync(t, IoVector.Kernel(data, count), 0);

    /// <summary>Whether a call with <paramref name="flags"/> may wait (no O_NONBLOCK, no MSG_DONTWAIT).</summary>
    protected bool Waits(int flags) => (StatusFlags & OpenFlags.O_NONBLOCK) == 0 && (flags & SocketConstants.MSG_DONTWAIT) == 0;

    /// <summary>What a receive produced besides the count, for recvmsg/recvfrom.</summary>
    public sealed class Received
    {
        public int MessageFlags;
        public SocketAddress? Source;
        public OpenFile[]? Rights;
        public bool HasCredentials;
        public UnixCredentials Credentials;
    }

    /// <summary>Drops in-flight references (files never queued, or received where no fd can take them).</summary>
    public static void ReleaseRights(OpenFile[]? rights)
    {
        if (rights == null) return;
        for (int i = 0; i < rights.Length; i++) rights[i].Release();
    }

    /// <summary>The deadline SO_RCVTIMEO / SO_SNDTIMEO set for a wait starting now (0: none).</summary>
    public static ulong Deadline(UserThread t, ulong timeout) => timeout == 0 ? 0 : t.Process.Host.Clock.MonotonicNanoseconds + timeout;

    /// <summary>Waits for <paramref name="waiter"/> until <paramref name="deadline"/>: 1 to ask again
    /// (woken, or the timer fired before the clock reached the deadline), -EAGAIN when the deadline
    /// passed (SO_RCVTIMEO / SO_SNDTIMEO), or -ERESTARTSYS for a signal.</summary>
    public static async KernelTask<long> WaitOnce(UserThread t, ThreadWaiter waiter, ulong deadline)
    {
        long woken = await FileCall.Wait(t, waiter, deadline);
        if (woken < 0) return woken;
        if (woken == 0 && deadline != 0 && t.Process.Host.Clock.MonotonicNanoseconds >= deadline) return -Errno.EAGAIN;
        return 1;
    }

    public override bool Pollable => true;

    /// <summary>The network-device ioctls (InterfaceIoctl) for every family, else the family's own.</summary>
    public override KernelTask<long> IoctlAsync(UserThread t, uint request, ulong argument)
        => InterfaceIoctl.Handles(request) ? InterfaceIoctl.Run(t, this, request, argument) : SocketIoctlAsync(t, request, argument);

    /// <summary>FIONREAD (SIOCINQ): the count InboundBytes gives, written as an int; -ENOTTY for others.</summary>
    private async KernelTask<long> SocketIoctlAsync(UserThread t, uint request, ulong argument)
    {
        if (request != FIONREAD) return -Errno.ENOTTY;
        long n = await InboundBytes(t);
        if (n < 0) return n;
        return t.Process.UserMemory.WriteInt32(argument, (int)n) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>FIONREAD's answer for this family, asked of the socket's actor, or -errno.</summary>
    protected abstract KernelTask<long> InboundBytes(UserThread t);

    public override void Stat(ref FileStatus status)
    {
        status.Mode = 0xC000 | 0x1FF; // S_IFSOCK, rwxrwxrwx as sockfs makes its inodes
        status.Device = 8;             // sockfs's anonymous device
        status.Inode = Inode;
        status.LinkCount = 1;
        status.BlockSize = 4096;
    }
}

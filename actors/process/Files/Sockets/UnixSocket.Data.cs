// UnixSocket's data operations: queueing a sender's record here, reading
// records out, poll, FIONREAD. See UnixSocket.cs for the state and the
// invariants these keep.
using System;
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets;

public sealed partial class UnixSocket
{
    /// <summary>What a send carries to the receiving socket. The data belongs to the message (copied
    /// from user memory before); Rights are held in flight (one reference each) until queued.</summary>
    public sealed class Outgoing
    {
        public UnixSocket Sender = null!;
        public byte[] Data = Array.Empty<byte>();
        public int Offset, Length;
        public OpenFile[]? Rights;
        public UnixCredentials Credentials;
        public UnixAddress? Source;
        /// <summary>The sender's SO_SNDBUF: how much of its data may wait here.</summary>
        public int SendBuffer = SocketConstants.DefaultBuffer;
    }

    /// <summary>What a read brings back to the thread.</summary>
    public sealed class Incoming
    {
        public readonly byte[] Data;
        /// <summary>The record's whole length (datagrams: MSG_TRUNC's answer).</summary>
        public int FullLength;
        public OpenFile[]? Rights;
        public UnixCredentials Credentials;
        public UnixAddress? Source;
        /// <summary>The reader has SO_PASSCRED: SCM_CREDENTIALS goes with the data.</summary>
        public bool PassCredentials;

        public Incoming(int length)
        {
            Data = new byte[length];
            Credentials = UnixCredentials.None;
        }
    }

    /// <summary>A stream send's bytes arriving here (the receiver): how many were queued (at most
    /// what fits), -EPIPE when this side is closed or no longer reads, -EAGAIN when nothing fits and
    /// <paramref name="waiter"/> is null, else WouldBlock. Rights go with the queued bytes.</summary>
    internal long DeliverStream(Outgoing m, FileWaiter? waiter)
    {
        if (_closed || (_shutdown & SocketConstants.RCV_SHUTDOWN) != 0) return -Errno.EPIPE;
        int room = m.SendBuffer - Queue.Bytes;
        if (room <= 0) return Full(waiter);
        int n = Math.Min(m.Length, room);
        Enqueue(m, n);
        return n;
    }

    /// <summary>A datagram or seqpacket record arriving here: its length when queued,
    /// -ECONNREFUSED when this socket closed, -EPERM when it is connected to another socket
    /// (datagram), -EPIPE when it no longer reads, -EAGAIN / WouldBlock when full.</summary>
    internal long DeliverRecord(Outgoing m, FileWaiter? waiter)
    {
        if (_closed) return ConnectionOriented ? -Errno.EPIPE : -Errno.ECONNREFUSED;
        if (!ConnectionOriented && _peer != null && _peer != m.Sender) return -Errno.EPERM;
        if ((_shutdown & SocketConstants.RCV_SHUTDOWN) != 0) return -Errno.EPIPE;
        bool full = (!ConnectionOriented && _peer != m.Sender && Queue.Count > SocketConstants.MaxDgramQlen)
            || (Queue.Count > 0 && Queue.Bytes + m.Length > m.SendBuffer);
        if (full) return Full(waiter);
        Enqueue(m, m.Length);
        return m.Length;
    }

    private long Full(FileWaiter? waiter)
    {
        if (waiter == null) return -Errno.EAGAIN;
        Writers.Add(waiter);
        return FileRequest.WouldBlock;
    }

    private void Enqueue(Outgoing m, int n)
    {
        var bytes = new byte[n];
        new ReadOnlySpan<byte>(m.Data, m.Offset, n).CopyTo(bytes);
        if (m.Rights != null) Hold(m.Rights);
        Queue.Enqueue(new SocketRecord<OpenFile[]>(bytes, 0, n, m.Rights, m.Credentials, m.Source));
        m.Rights = null;
        InputChanged(PollEvents.POLLIN | PollEvents.POLLRDNORM);
    }

    /// <summary>A read here: the bytes copied into <paramref name="into"/>.Data; 0 at end of stream;
    /// -EINVAL (stream) or -ENOTCONN (seqpacket) when not connected, the pending error (once), -EAGAIN
    /// when empty and <paramref name="waiter"/> is null, else WouldBlock. With
    /// <paramref name="peek"/> the record stays and any files are lent (acquired) to the reader.</summary>
    internal long Receive(Incoming into, bool peek, FileWaiter? waiter)
    {
        if (Type == SocketConstants.SOCK_STREAM && _state != SocketState.Connected) return -Errno.EINVAL;
        if (Type == SocketConstants.SOCK_SEQPACKET && _state != SocketState.Connected) return -Errno.ENOTCONN;
        into.PassCredentials = _passCred;
        if (Queue.Count == 0)
        {
            if (_error != 0) return -TakeError();
            if ((_shutdown & SocketConstants.RCV_SHUTDOWN) != 0) return 0;
            if (waiter == null) return -Errno.EAGAIN;
            Readers.Add(waiter);
            return FileRequest.WouldBlock;
        }
        long n;
        if (Type == SocketConstants.SOCK_STREAM)
        {
            n = Queue.ReadStream(into.Data, peek, _passCred, out OpenFile[]? rights, out into.Credentials, out into.Source);
            into.FullLength = (int)n;
            into.Rights = rights;
        }
        else
        {
            SocketRecord<OpenFile[]> r = Queue.ReadDatagram(into.Data, peek)!;
            n = Math.Min(into.Data.Length, r.Length);
            into.FullLength = r.Length;
            into.Credentials = r.Credentials;
            into.Source = r.Source;
            into.Rights = r.Rights;
            if (!peek) r.Rights = null;
        }
        if (peek)
        {
            if (into.Rights != null)
                for (int i = 0; i < into.Rights.Length; i++) into.Rights[i].Acquire();
        }
        else
        {
            if (into.Rights != null) LetGo(into.Rights);
            OutputChanged();
        }
        return n;
    }

    private int TakeError()
    {
        int e = _error;
        _error = 0;
        return e;
    }

    /// <summary>The socket's own poll events (unix_poll, unix_dgram_poll) except writability toward a
    /// peer, which <paramref name="roomAt"/> names for the caller to ask there. Registers
    /// <paramref name="waiter"/> here when none of <paramref name="events"/> holds.</summary>
    internal int Poll(int events, FileWaiter? waiter, out UnixSocket? roomAt)
    {
        roomAt = null;
        int mask = 0;
        if (_error != 0) mask |= PollEvents.POLLERR;
        if (_shutdown == SocketConstants.SHUTDOWN_MASK) mask |= PollEvents.POLLHUP;
        if ((_shutdown & SocketConstants.RCV_SHUTDOWN) != 0) mask |= PollEvents.POLLRDHUP | PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if (Queue.Count > 0 || _pending.Count > 0) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if (ConnectionOriented && _state == SocketState.Unconnected) mask |= PollEvents.POLLHUP;
        if (_state != SocketState.Listening)
        {
            if (_peer != null) roomAt = _peer;
            else mask |= PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND;
        }
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null) Readers.Add(waiter);
        return mask;
    }

    /// <summary>Whether <paramref name="sender"/> may write here now (unix_writable and, for datagrams,
    /// unix_recvq_full): POLLOUT or 0, registering <paramref name="waiter"/> when 0.</summary>
    internal int PollRoom(UnixSocket sender, int sendBuffer, FileWaiter? waiter)
    {
        bool writable = Queue.Bytes * 4 <= sendBuffer || _closed;
        if (!ConnectionOriented && !_closed && _peer != sender && Queue.Count > SocketConstants.MaxDgramQlen) writable = false;
        if (writable) return PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND;
        if (waiter != null) Writers.Add(waiter);
        return 0;
    }

    /// <summary>FIONREAD (unix_inq_len): -EINVAL when listening; a stream's or seqpacket's unread
    /// bytes; a datagram socket's first record's length.</summary>
    internal long InboundBytes()
    {
        if (_state == SocketState.Listening) return -Errno.EINVAL;
        if (Type == SocketConstants.SOCK_DGRAM) return Queue.First?.Length ?? 0;
        return Queue.Bytes;
    }

    /// <summary>Checks a send from this socket (the first step of every send): the receiver in
    /// <paramref name="target"/> when the call gave no address; -ENOTCONN, -EOPNOTSUPP / -EISCONN
    /// (an address on a stream socket), -EPIPE after shutdown(SHUT_WR). A datagram send with an
    /// address leaves <paramref name="target"/> null for the caller to look the name up; 1 asks the
    /// caller to autobind first (SO_PASSCRED and no name) and then to ask again.</summary>
    internal long PrepareSend(bool hasAddress, Outgoing m, out UnixSocket? target)
    {
        target = null;
        m.Sender = this;
        m.Source = _address;
        m.SendBuffer = Options.SendBuffer;
        if (Type == SocketConstants.SOCK_STREAM)
        {
            if (hasAddress) return _state == SocketState.Connected ? -Errno.EISCONN : -Errno.EOPNOTSUPP;
            if (_peer == null || _state != SocketState.Connected) return -Errno.ENOTCONN;
            if ((_shutdown & SocketConstants.SEND_SHUTDOWN) != 0) return -Errno.EPIPE;
            target = _peer;
            return 0;
        }
        if (Type == SocketConstants.SOCK_SEQPACKET)
        {
            if (_state != SocketState.Connected) return -Errno.ENOTCONN;
            if ((_shutdown & SocketConstants.SEND_SHUTDOWN) != 0) return -Errno.EPIPE;
            target = _peer;
            return 0;
        }
        if (!hasAddress)
        {
            if (_peer == null) return -Errno.ENOTCONN;
            target = _peer;
        }
        if ((_shutdown & SocketConstants.SEND_SHUTDOWN) != 0) return -Errno.EPIPE;
        return NeedsAutobind ? 1 : 0;
    }

    /// <summary>A datagram target closed: forget it as the default peer (Linux clears unix_peer).</summary>
    internal long ForgetDeadPeer(UnixSocket dead)
    {
        if (_peer == dead && !ConnectionOriented)
        {
            SetPeer(null);
            SetState(SocketState.Unconnected);
        }
        return 0;
    }
}

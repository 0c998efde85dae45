// TcpConnection, the sending side and the user's calls: Output sends what the
// peer's window, the congestion window and Nagle allow, then the FIN once
// the buffer is drained; Timer retransmits from SND.UNA (go-back-N, the RTO
// doubled, the congestion window down to one segment) or probes a zero
// window, gives up after tcp_retries2, and ends TIME_WAIT.
using System;

namespace Kevlar.Net;

public sealed partial class TcpConnection
{
    /// <summary>The receive window: the buffer's room less what waits out of order, but never
    /// short of the right edge already advertised (a window is not shrunk).</summary>
    public long ReceiveWindow
    {
        get
        {
            long room = Math.Max(0, _receive.Free - _outOfOrderBytes);
            return _rightEdgeSet ? Math.Max(room, Math.Max(0, (long)(int)(_rcvRightEdge - _rcvNxt))) : room;
        }
    }

    private ushort WindowField()
    {
        long w = Math.Min(ReceiveWindow, 65535L << _rcvScale);
        ushort field = (ushort)(w >> _rcvScale);
        _advertised = (long)field << _rcvScale;
        uint edge = _rcvNxt + (uint)_advertised;
        if (!_rightEdgeSet || Lt(_rcvRightEdge, edge)) _rcvRightEdge = edge;
        _rightEdgeSet = true;
        return field;
    }

    private void Emit(in TcpHeader h, ReadOnlySpan<byte> data)
    {
        if (h.Has(TcpHeader.Ack))
        {
            _lastAckSent = h.Acknowledgment;
            _delayedAckDeadline = 0;
        }
        if (Statistics != null)
        {
            Count(ref Statistics.OutSegs);
            if (h.Has(TcpHeader.Rst)) Count(ref Statistics.OutRsts);
        }
        _output(h.Packet(LocalAddress, RemoteAddress, data, NextId(), Ttl, Checksums));
    }

    private static int s_id;
    private static ushort NextId() => (ushort)System.Threading.Interlocked.Increment(ref s_id);

    private void SendAck()
        => Emit(new TcpHeader(LocalPort, RemotePort, _sndNxt, _rcvNxt, TcpHeader.Ack, WindowField()), ReadOnlySpan<byte>.Empty);

    private void SendReset(uint seq)
        => Emit(new TcpHeader(LocalPort, RemotePort, seq, 0, TcpHeader.Rst, 0), ReadOnlySpan<byte>.Empty);

    /// <summary>The RST a host sends for a segment no connection takes (RFC 9293 3.10.7.1): the
    /// packet, or null for an RST (never answered).</summary>
    public static byte[]? ResetFor(in TcpHeader h, int dataLength, uint source, uint destination)
    {
        if (h.Has(TcpHeader.Rst)) return null;
        TcpHeader reset = h.Has(TcpHeader.Ack)
            ? new TcpHeader(h.DestinationPort, h.SourcePort, h.Acknowledgment, 0, TcpHeader.Rst, 0)
            : new TcpHeader(h.DestinationPort, h.SourcePort, 0,
                h.Sequence + (uint)dataLength + (h.Has(TcpHeader.Syn) ? 1u : 0u) + (h.Has(TcpHeader.Fin) ? 1u : 0u),
                TcpHeader.Rst | TcpHeader.Ack, 0);
        return reset.Packet(destination, source, ReadOnlySpan<byte>.Empty, NextId(), Ipv4Header.DefaultTtl);
    }

    private void ArmRto(ulong now)
    {
        if (_rtoDeadline == 0) _rtoDeadline = now + _rto;
    }

    /// <summary>States whose send buffer may still hold data to (re)send.</summary>
    private bool CanSendData => State == TcpState.Established || State == TcpState.CloseWait
        || State == TcpState.FinWait1 || State == TcpState.LastAck || State == TcpState.Closing;

    private void Advance(uint next)
    {
        _sndNxt = next;
        if (Lt(_sndMax, next)) _sndMax = next;
    }

    /// <summary>Sends what the windows allow, then the FIN when queued and the buffer is all sent.</summary>
    public void Output(ulong now)
    {
        if (!Synchronized && State != TcpState.SynReceived) return;
        if (State == TcpState.SynReceived) return;
        while (true)
        {
            int sentOffset = (int)(uint)(_sndNxt - _sendBase);
            int unsent = _send.Count - sentOffset;
            long window = Math.Min(_sndWnd, _cwnd) - FlightSize;
            if (unsent > 0 && CanSendData)
            {
                if (window <= 0)
                {
                    // Zero window with nothing in flight: the RTO timer probes it (the persist timer).
                    if (FlightSize == 0) ArmRto(now);
                    return;
                }
                int n = (int)Math.Min(Math.Min(unsent, window), _mss);
                // Nagle (RFC 896) with Minshall's change, as Linux's tcp_nagle_check: a small segment
                // waits while an earlier small segment is unacknowledged, unless TCP_NODELAY (so a
                // write's small tail goes out behind its full segments).
                if (n < _mss && n == unsent && FlightSize > 0 && !NoDelay && !_finQueued && Lt(_sndUna, _smallEnd) && Le(_smallEnd, _sndNxt)) return;
                if (n < _mss) _smallEnd = _sndNxt + (uint)n;
                byte flags = (byte)(TcpHeader.Ack | (n == unsent ? TcpHeader.Psh : 0));
                // The segment's data goes from the send buffer straight into the packet.
                var h = new TcpHeader(LocalPort, RemotePort, _sndNxt, _rcvNxt, flags, WindowField());
                byte[] packet = h.NewPacket(n, out Span<byte> space);
                _send.Peek(sentOffset, space);
                h.Finish(packet, LocalAddress, RemoteAddress, NextId(), Ttl, Checksums);
                if (Statistics != null)
                {
                    Count(ref Statistics.OutSegs);
                    if (Lt(_sndNxt, _sndMax)) Count(ref Statistics.RetransSegs);
                }
                _output(packet);
                // A data segment carries the ACK too; one that takes a delayed ACK along means the
                // exchange is request and reply (Linux's ping-pong mode), where replies carry the ACKs.
                if (_delayedAckDeadline != 0) _pingPong = true;
                _lastAckSent = _rcvNxt;
                _delayedAckDeadline = 0;
                // Karn's rule: time only a first transmission, never a segment sent again.
                if (_rttStart == 0 && !Lt(_sndNxt, _sndMax))
                {
                    _rttStart = now;
                    _rttSeq = _sndNxt + (uint)n;
                }
                Advance(_sndNxt + (uint)n);
                ArmRto(now);
                continue;
            }
            // The FIN after all the data: the first time, or again after a rewind to it.
            if (_finQueued && unsent == 0 && (!_finSent || _sndNxt == _finSeq) && CanSendData)
            {
                Emit(new TcpHeader(LocalPort, RemotePort, _sndNxt, _rcvNxt, TcpHeader.Fin | TcpHeader.Ack, WindowField()), ReadOnlySpan<byte>.Empty);
                _finSeq = _sndNxt;
                _finSent = true;
                Advance(_sndNxt + 1);
                if (State == TcpState.Established) SetState(TcpState.FinWait1);
                else if (State == TcpState.CloseWait) SetState(TcpState.LastAck);
                ArmRto(now);
            }
            return;
        }
    }

    // ---- the user's calls ----------------------------------------------------------------

    /// <summary>write: as much of <paramref name="data"/> as the send buffer takes, then Output: the count
    /// (0 when full), or -EPIPE once the write side is shut or the connection is gone.</summary>
    public int Write(ReadOnlySpan<byte> data, ulong now)
    {
        if (_finQueued || State == TcpState.Closed) return -Errno.EPIPE;
        int n = _send.Write(data);
        if (n > 0) Output(now);
        return n;
    }

    /// <summary>read: up to dest.Length bytes (kept with <paramref name="peek"/>). A read that opens
    /// the window from below one segment announces it.</summary>
    public int Read(Span<byte> dest, bool peek, ulong now)
    {
        int n = peek ? _receive.Peek(0, dest) : _receive.Read(dest);
        if (!peek && n > 0 && Synchronized && !PeerFinished)
        {
            long limit = Math.Min(_mss, _receive.Capacity / 2);
            // tcp_cleanup_rbuf: a delayed ACK goes now when the reader has emptied the queue (unless
            // replies carry the ACKs: ping-pong), and any read that opens the window from below a
            // segment announces it.
            if (_delayedAckDeadline != 0 && _receive.Count == 0 && !_pingPong) SendAck();
            else if (_advertised < limit && ReceiveWindow >= limit) SendAck();
        }
        return n;
    }

    /// <summary>shutdown(SHUT_WR), or a close with nothing unread: the FIN after the queued data.</summary>
    public void Finish(ulong now)
    {
        if (_finQueued) return;
        switch (State)
        {
            case TcpState.SynSent:
                SetState(TcpState.Closed);
                _rtoDeadline = 0;
                return;
            case TcpState.Established:
            case TcpState.CloseWait:
            case TcpState.SynReceived:
                _finQueued = true;
                Changed();
                Output(now);
                return;
        }
    }

    /// <summary>An abortive close (unread data at close, SO_LINGER 0): an RST, the connection gone.</summary>
    public void Abort()
    {
        if (State != TcpState.Closed && State != TcpState.SynSent && State != TcpState.TimeWait && State != TcpState.Listen)
            Emit(new TcpHeader(LocalPort, RemotePort, _sndNxt, 0, TcpHeader.Rst, 0), ReadOnlySpan<byte>.Empty);
        _rtoDeadline = 0;
        _send.Consume(_send.Count);
        SetState(TcpState.Closed);
    }

    /// <summary>When the keepalive timer is due (0: off, or data is in flight and the RTO watches).</summary>
    private ulong KeepaliveDue
    {
        get
        {
            if (!KeepAlive || (State != TcpState.Established && State != TcpState.CloseWait) || _rtoDeadline != 0 || _send.Count > 0) return 0;
            return _lastHeard + (_keepProbes == 0 ? KeepIdle : KeepIdle + (ulong)_keepProbes * KeepInterval);
        }
    }

    /// <summary>Anything from the peer: the connection is alive (tcp_rcv_established resets the probes).</summary>
    private void Heard(ulong now)
    {
        _lastHeard = now;
        _keepProbes = 0;
    }

    /// <summary>The owner's timer reached NextDeadline.</summary>
    public void Timer(ulong now)
    {
        if (_delayedAckDeadline != 0 && now >= _delayedAckDeadline)
        {
            _delayedAckDeadline = 0;
            _pingPong = false; // no reply came in time to carry it
            if (Synchronized && State != TcpState.TimeWait) SendAck();
        }
        if (State == TcpState.TimeWait)
        {
            if (now >= _timeWaitDeadline) SetState(TcpState.Closed);
            return;
        }
        if (State == TcpState.FinWait2)
        {
            if (_finWait2Deadline != 0 && now >= _finWait2Deadline) SetState(TcpState.Closed);
            return;
        }
        ulong keep = KeepaliveDue;
        if (keep != 0 && now >= keep)
        {
            // tcp_keepalive_timer: KeepCount probes unanswered end the connection, else one more.
            if (_keepProbes >= KeepCount)
            {
                Fail(TimedOut);
                return;
            }
            _keepProbes++;
            Emit(new TcpHeader(LocalPort, RemotePort, _sndUna - 1, _rcvNxt, TcpHeader.Ack, WindowField()), ReadOnlySpan<byte>.Empty);
            return;
        }
        if (_rtoDeadline == 0 || now < _rtoDeadline) return;
        _rtoDeadline = 0;
        bool syn = State == TcpState.SynSent || State == TcpState.SynReceived;
        bool probe = FlightSize == 0 && _send.Count > 0 && !syn;
        // Probes of a shut window count apart: any answer resets them (RFC 1122 4.2.2.17).
        if (probe ? ++_probes > MaxRetries : ++_retries > (syn ? MaxSynRetries : MaxRetries))
        {
            Fail(TimedOut);
            return;
        }
        _rto = Math.Min(MaxRto, _rto * 2);
        _rttStart = 0;
        if (syn)
        {
            if (Statistics != null) Count(ref Statistics.RetransSegs);
            SendSyn(State == TcpState.SynReceived);
            ArmRto(now);
            return;
        }
        if (probe)
        {
            // The peer's window is shut: Linux's probe (tcp_xmit_probe_skb), an empty segment at
            // SND.UNA - 1, which the peer cannot accept and so answers with its window.
            Emit(new TcpHeader(LocalPort, RemotePort, _sndUna - 1, _rcvNxt, TcpHeader.Ack, WindowField()), ReadOnlySpan<byte>.Empty);
            ArmRto(now);
            return;
        }
        _ssthresh = Math.Max(FlightSize / 2, 2L * _mss);
        _cwnd = _mss;
        Retransmit(now);
    }

    /// <summary>Go back to SND.UNA and send again (the FIN too when it was sent); SND.MAX stays, so
    /// the ACKs for what was sent before remain acceptable.</summary>
    private void Retransmit(ulong now)
    {
        _sndNxt = _sndUna;
        _rttStart = 0;
        _rtoDeadline = 0;
        Output(now);
        ArmRto(now);
    }
}

// TcpConnection, segment arrival (RFC 9293 3.10.7): SYN_SENT's handshake,
// then for synchronized states the acceptability check, RST, SYN, ACK
// (acknowledged bytes leave the send buffer, RTT is sampled, the window is
// updated, our FIN's acknowledgment moves the closing states), the data (in
// order into the receive buffer, beyond RCV.NXT kept aside) and FIN.
using System;

namespace Kevlar.Net;

public sealed partial class TcpConnection
{
    /// <summary>A segment for this connection: <paramref name="h"/> and its data.</summary>
    public void Input(in TcpHeader h, ReadOnlySpan<byte> data, ulong now)
    {
        switch (State)
        {
            case TcpState.Closed:
            case TcpState.Listen:
                return;
            case TcpState.SynSent:
                SynSentInput(h, now);
                return;
        }
        Heard(now);
        uint seq = h.Sequence;
        int length = data.Length + (h.Has(TcpHeader.Syn) ? 1 : 0) + (h.Has(TcpHeader.Fin) ? 1 : 0);
        if (!Acceptable(seq, length))
        {
            if (h.Has(TcpHeader.Rst)) return;
            // A retransmitted SYN in SYN_RECEIVED (our SYN-ACK was lost) gets the SYN-ACK again, as on Linux.
            if (State == TcpState.SynReceived && h.Has(TcpHeader.Syn) && !h.Has(TcpHeader.Ack) && seq == _irs) SendSyn(true);
            else SendAck();
            // A retransmitted FIN in TIME_WAIT (our ACK was lost) restarts the wait.
            if (State == TcpState.TimeWait && h.Has(TcpHeader.Fin)) EnterTimeWait(now);
            return;
        }
        if (h.Has(TcpHeader.Rst))
        {
            // RFC 5961 3.2: only an RST exactly at RCV.NXT resets; one elsewhere in the window is challenged.
            if (seq != _rcvNxt)
            {
                SendAck();
                return;
            }
            // tcp_reset's errors: CLOSE_WAIT's is EPIPE (we had the peer's FIN: it only refused our data).
            if (State == TcpState.SynReceived || State == TcpState.Closing || State == TcpState.LastAck || State == TcpState.TimeWait)
                Fail(State == TcpState.SynReceived ? Errno.ECONNREFUSED : 0);
            else Fail(State == TcpState.CloseWait ? Errno.EPIPE : Errno.ECONNRESET);
            return;
        }
        if (h.Has(TcpHeader.Syn))
        {
            SendAck(); // RFC 5961 4.2: a challenge ACK
            return;
        }
        if (!h.Has(TcpHeader.Ack)) return;
        if (!AckInput(h, now)) return;
        // Data before RCV.NXT (a retransmission overlapping what arrived) is trimmed.
        if (Lt(seq, _rcvNxt))
        {
            int skip = (int)(_rcvNxt - seq);
            if (skip >= data.Length)
            {
                data = ReadOnlySpan<byte>.Empty;
                seq = _rcvNxt;
            }
            else
            {
                data = data.Slice(skip);
                seq = _rcvNxt;
            }
        }
        // Data for a socket nobody can read any more (closed): the connection is reset (tcp_rcv_state_process).
        if (data.Length > 0 && ReceiveClosed)
        {
            Abort();
            return;
        }
        bool fin = h.Has(TcpHeader.Fin);
        uint finSeq = seq + (uint)data.Length;
        if (data.Length > 0 && (State == TcpState.Established || State == TcpState.FinWait1 || State == TcpState.FinWait2))
        {
            bool inOrder = seq == _rcvNxt, holes = _outOfOrder.Count > 0;
            if (inOrder) TakeInOrder(data);
            else KeepOutOfOrder(seq, data);
            if (data.Length > _rcvMss) _rcvMss = Math.Min(data.Length, LocalMss);
            AckData(inOrder && !holes, now);
        }
        else if (fin && data.Length == 0 && seq != _rcvNxt && (State == TcpState.Established || State == TcpState.FinWait1 || State == TcpState.FinWait2))
            SendAck(); // a bare FIN beyond a hole: a duplicate ACK asks for the hole
        if (fin && finSeq != _rcvNxt && !PeerFinished)
        {
            // A FIN beyond a hole waits for the hole to fill (Linux keeps it in the out-of-order queue).
            _finPending = true;
            _finPendingSeq = finSeq;
        }
        if (_finPending && !fin && _rcvNxt == _finPendingSeq) fin = true;
        if (_finPending && fin) finSeq = _finPendingSeq;
        // The FIN counts once every byte before it is in (a full receive buffer leaves it for the retransmission).
        if (fin && finSeq == _rcvNxt)
        {
            _finPending = false;
            FinInput(now);
        }
    }

    /// <summary>Acknowledges data just taken: at once unless it came in order with no hole behind
    /// it, less than two full segments wait and the quick ACKs are spent; then within DelayedAckTime.</summary>
    private void AckData(bool inOrder, ulong now)
    {
        if (!inOrder || _quickAcks > 0 || _rcvNxt - _lastAckSent > (uint)_rcvMss)
        {
            if (_quickAcks > 0) _quickAcks--;
            SendAck();
            return;
        }
        if (_delayedAckDeadline == 0) _delayedAckDeadline = now + DelayedAckTime;
    }

    /// <summary>RFC 9293's four cases: a segment is acceptable when any of it falls in the receive window.</summary>
    private bool Acceptable(uint seq, int length)
    {
        long window = ReceiveWindow;
        if (length == 0) return window == 0 ? seq == _rcvNxt : Le(_rcvNxt, seq) && Lt(seq, _rcvNxt + (uint)window);
        if (window == 0) return false;
        uint last = seq + (uint)length - 1;
        return (Le(_rcvNxt, seq) && Lt(seq, _rcvNxt + (uint)window)) || (Le(_rcvNxt, last) && Lt(last, _rcvNxt + (uint)window));
    }

    private void SynSentInput(in TcpHeader h, ulong now)
    {
        bool ack = h.Has(TcpHeader.Ack);
        if (ack && (Le(h.Acknowledgment, _iss) || Lt(_sndNxt, h.Acknowledgment)))
        {
            if (!h.Has(TcpHeader.Rst)) SendReset(h.Acknowledgment);
            return;
        }
        if (h.Has(TcpHeader.Rst))
        {
            if (ack) Fail(Errno.ECONNREFUSED);
            return;
        }
        if (!h.Has(TcpHeader.Syn)) return;
        _irs = h.Sequence;
        _rcvNxt = h.Sequence + 1;
        TakeSynOptions(h);
        if (!ack)
        {
            // Simultaneous open: SYN_RECEIVED, our SYN sent again with an ACK.
            _sndWnd = h.Window;
            _sndWl1 = h.Sequence;
            SetState(TcpState.SynReceived);
            SendSyn(true);
            return;
        }
        _sndUna = h.Acknowledgment;
        _sndWnd = h.Window; // the SYN-ACK's window is not scaled either
        _sndWl1 = h.Sequence;
        _sndWl2 = h.Acknowledgment;
        SampleRtt(h.Acknowledgment, now);
        _retries = 0;
        _rtoDeadline = 0;
        Heard(now);
        SetState(TcpState.Established);
        SendAck();
        Output(now);
    }

    /// <summary>The ACK field (RFC 9293 3.10.7.4, fifth check): false when the segment goes no further.</summary>
    private bool AckInput(in TcpHeader h, ulong now)
    {
        uint ack = h.Acknowledgment;
        if (State == TcpState.SynReceived)
        {
            if (!(Lt(_sndUna, ack) && Le(ack, _sndNxt)))
            {
                SendReset(ack);
                return false;
            }
            SetState(TcpState.Established);
            _sndWnd = (long)h.Window << _sndScale;
            _sndWl1 = h.Sequence;
            _sndWl2 = ack;
        }
        if (Lt(_sndMax, ack))
        {
            SendAck(); // acknowledges something never sent
            return false;
        }
        _probes = 0; // the peer answers
        if (Lt(_sndUna, ack))
        {
            Acknowledged(ack, now);
            if (Lt(_sndNxt, ack)) _sndNxt = ack; // past a rewind: what it acknowledges needs no resending
        }
        else if (ack == _sndUna && _send.Count > 0 && Lt(_sndUna, _sndMax) && h.Window == (ushort)(_sndWnd >> _sndScale))
        {
            // A duplicate ACK: the third retransmits the first unacknowledged segment (RFC 5681 3.2).
            if (++_dupAcks == 3)
            {
                _ssthresh = Math.Max(FlightSize / 2, 2L * _mss);
                _cwnd = _ssthresh + 3L * _mss;
                Retransmit(now);
            }
        }
        if (Lt(_sndWl1, h.Sequence) || (_sndWl1 == h.Sequence && Le(_sndWl2, ack)))
        {
            long before = _sndWnd;
            _sndWnd = (long)h.Window << _sndScale;
            _sndWl1 = h.Sequence;
            _sndWl2 = ack;
            if (_sndWnd > before) Changed();
        }
        bool finAcked = _finSent && ack == _finSeq + 1;
        switch (State)
        {
            case TcpState.FinWait1:
                if (finAcked)
                {
                    SetState(TcpState.FinWait2);
                    // An orphan does not wait for the peer's FIN forever (tcp_fin_timeout).
                    if (ReceiveClosed && !Kevlar.Runtime.Diagnostics.SeededBugs.FinWait2NeverTimesOut) _finWait2Deadline = now + FinTimeout;
                }
                break;
            case TcpState.Closing:
                if (finAcked) EnterTimeWait(now);
                return false;
            case TcpState.LastAck:
                if (finAcked) SetState(TcpState.Closed);
                return false;
            case TcpState.TimeWait:
                if (h.Has(TcpHeader.Fin))
                {
                    SendAck();
                    EnterTimeWait(now);
                }
                return false;
        }
        Output(now);
        return true;
    }

    private long FlightSize => (long)(uint)(_sndNxt - _sndUna);

    /// <summary>SND.UNA advances to <paramref name="ack"/>: acknowledged bytes leave the send buffer,
    /// the RTO restarts or stops, the congestion window grows.</summary>
    private void Acknowledged(uint ack, ulong now)
    {
        int dataAcked = (int)Math.Min((long)(uint)(ack - _sendBase), _send.Count);
        if (dataAcked > 0)
        {
            _send.Consume(dataAcked);
            _sendBase += (uint)dataAcked;
        }
        long acked = (uint)(ack - _sndUna);
        _sndUna = ack;
        _dupAcks = 0;
        SampleRtt(ack, now);
        _retries = 0;
        if (_cwnd < _ssthresh) _cwnd += Math.Min(acked, _mss);
        else _cwnd += Math.Max(1, (long)_mss * _mss / _cwnd);
        if (_sndUna == _sndMax) _rtoDeadline = 0;
        else _rtoDeadline = now + _rto;
        Changed();
    }

    /// <summary>Karn's rule: one segment timed at a time, never a retransmitted one (RFC 6298).</summary>
    private void SampleRtt(uint ack, ulong now)
    {
        if (_rttStart == 0 || Lt(ack, _rttSeq)) return;
        ulong r = now - _rttStart;
        _rttStart = 0;
        if (_srtt == 0)
        {
            _srtt = r;
            _rttvar = r / 2;
        }
        else
        {
            ulong delta = r > _srtt ? r - _srtt : _srtt - r;
            _rttvar = (3 * _rttvar + delta) / 4;
            _srtt = (7 * _srtt + r) / 8;
        }
        _rto = Math.Min(MaxRto, Math.Max(MinRto, _srtt + Math.Max(1_000_000, 4 * _rttvar)));
    }

    private void TakeInOrder(ReadOnlySpan<byte> data)
    {
        int n = _receive.Write(data);
        _rcvNxt += (uint)n;
        // Pull in whatever the arrival made contiguous.
        while (_outOfOrder.Count > 0)
        {
            OutOfOrder first = _outOfOrder[0];
            if (Lt(_rcvNxt, first.Sequence)) break;
            _outOfOrder.RemoveAt(0);
            _outOfOrderBytes -= first.Data.Length;
            int skip = (int)(_rcvNxt - first.Sequence);
            if (skip < first.Data.Length) _rcvNxt += (uint)_receive.Write(new ReadOnlySpan<byte>(first.Data, skip, first.Data.Length - skip));
        }
        if (n > 0) Changed();
    }

    private void KeepOutOfOrder(uint seq, ReadOnlySpan<byte> data)
    {
        int at = 0;
        while (at < _outOfOrder.Count && Lt(_outOfOrder[at].Sequence, seq)) at++;
        if (at < _outOfOrder.Count && _outOfOrder[at].Sequence == seq && _outOfOrder[at].Data.Length >= data.Length) return;
        var copy = new byte[data.Length];
        data.CopyTo(copy);
        if (at < _outOfOrder.Count && _outOfOrder[at].Sequence == seq)
        {
            _outOfOrderBytes -= _outOfOrder[at].Data.Length;
            _outOfOrder.RemoveAt(at);
        }
        _outOfOrder.Insert(at, new OutOfOrder(seq, copy));
        _outOfOrderBytes += copy.Length;
    }

    /// <summary>The peer's FIN, all data before it in: RCV.NXT past it, acknowledged, the state moved on.</summary>
    private void FinInput(ulong now)
    {
        if (State == TcpState.SynReceived || State == TcpState.Closed) return;
        if (!PeerFinished) _rcvNxt++;
        PeerFinished = true;
        SendAck();
        switch (State)
        {
            case TcpState.Established: SetState(TcpState.CloseWait); break;
            case TcpState.FinWait1:
                if (_finSent && _sndUna == _finSeq + 1) EnterTimeWait(now);
                else SetState(TcpState.Closing);
                break;
            case TcpState.FinWait2: EnterTimeWait(now); break;
            case TcpState.TimeWait: EnterTimeWait(now); break;
            default: Changed(); break;
        }
    }

    private void EnterTimeWait(ulong now)
    {
        // Nothing is sent again, and a closed socket reads nothing more: TIME_WAIT keeps only the
        // sequence numbers for its 60 s (Linux's inet_timewait_sock), not the buffers.
        _send.Release();
        if (ReceiveClosed)
        {
            _receive.Release();
            _outOfOrder.Clear();
            _outOfOrderBytes = 0;
        }
        _rtoDeadline = 0;
        _timeWaitDeadline = now + TimeWaitLength;
        SetState(TcpState.TimeWait);
    }
}

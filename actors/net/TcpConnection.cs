// TcpConnection: one TCP connection's state machine (RFC 9293 3.10) with
// everything it owns — the sequence variables, the send buffer (unacked and
// unsent bytes), the receive buffer and out-of-order segments, RTO
// estimation (RFC 6298), NewReno-style congestion control (RFC 5681: slow
// start, congestion avoidance, fast retransmit on three duplicate ACKs, a
// window of one segment after a timeout), Nagle (off with TCP_NODELAY),
// zero-window probes, keepalive probes (RFC 1122 4.2.3.6), window scaling
// (RFC 7323 2) and TIME_WAIT. It has no
// actor or clock of its own: its owner (a socket actor) feeds it segments,
// user calls and the time, hands each packet it emits to Output, and arms one
// timer at NextDeadline. Host tests drive two of them against each other.
//
// Acknowledgments go out at once for every segment with data (no delayed
// ACK yet); urgent data is not supported (URG is ignored, the data read
// inline). RSTs and SYNs in a synchronized state follow RFC 5961: an RST
// resets only at exactly RCV.NXT (elsewhere in the window it draws a
// challenge ACK), a SYN always draws a challenge ACK.
using System;
using System.Collections.Generic;
using System.Threading;

namespace Kevlar.Net;

public sealed partial class TcpConnection
{
    /// <summary>RFC 6298's initial RTO is 1 s (Linux's TCP_TIMEOUT_INIT); the floor is Linux's TCP_RTO_MIN, 200 ms.</summary>
    public const ulong InitialRto = 1_000_000_000, MinRto = 200_000_000, MaxRto = 120_000_000_000;
    /// <summary>TCP_TIMEWAIT_LEN: 60 s; tcp_fin_timeout, how long a closed socket waits in FIN_WAIT_2: 60 s.</summary>
    public const ulong TimeWaitLength = 60_000_000_000, FinTimeout = 60_000_000_000;
    /// <summary>tcp_retries2 and tcp_syn_retries: give up after this many retransmissions.</summary>
    public const int MaxRetries = 15, MaxSynRetries = 6;
    /// <summary>The window scale this side offers (Linux's for its default buffers).</summary>
    public const int OfferedScale = 7;

    public readonly uint LocalAddress, RemoteAddress;
    public readonly ushort LocalPort, RemotePort;
    private readonly Action<byte[]> _output;

    public TcpState State { get; private set; }
    /// <summary>The error a failed connection reports (ECONNREFUSED, ECONNRESET, ETIMEDOUT), 0 otherwise.</summary>
    public int Error { get; private set; }
    /// <summary>Bumped by every change a waiting reader, writer or connect may care about.</summary>
    public long Changes { get; private set; }
    /// <summary>The peer's FIN has been received (reads end after the buffered data).</summary>
    public bool PeerFinished { get; private set; }
    /// <summary>The socket was closed (Orphan): data arriving now resets the connection, and FIN_WAIT_2
    /// ends after FinTimeout.</summary>
    public bool ReceiveClosed { get; private set; }
    private ulong _finWait2Deadline;

    /// <summary>The socket's last fd closed with the connection still open (Linux's orphan).</summary>
    public void Orphan(ulong now)
    {
        ReceiveClosed = true;
        if (State == TcpState.FinWait2 && !Kevlar.Runtime.Diagnostics.SeededBugs.FinWait2NeverTimesOut) _finWait2Deadline = now + FinTimeout;
    }
    /// <summary>The stack's counters this connection adds to (null: none, as in host tests).</summary>
    public TcpStatistics? Statistics;

    private void Count(ref long counter)
    {
        if (Statistics != null) Interlocked.Increment(ref counter);
    }

    /// <summary>Whether emitted packets carry a computed checksum (false for lo, as on Linux).</summary>
    public bool Checksums = true;
    /// <summary>SO_KEEPALIVE with TCP_KEEPIDLE, TCP_KEEPINTVL (ns) and TCP_KEEPCNT: an idle connection
    /// is probed after KeepIdle, then every KeepInterval; KeepCount probes unanswered end it (ETIMEDOUT).</summary>
    public bool KeepAlive;
    public ulong KeepIdle = 7200UL * 1_000_000_000, KeepInterval = 75UL * 1_000_000_000;
    public int KeepCount = 9;
    private ulong _lastHeard;
    private int _keepProbes;
    /// <summary>TCP_NODELAY: Nagle off.</summary>
    public bool NoDelay;
    public byte Ttl = Ipv4Header.DefaultTtl;

    // Send side (RFC 9293 3.3.1): SND.UNA, SND.NXT, SND.WND, SND.WL1, SND.WL2, ISS; and the highest
    // sequence ever sent (BSD's snd_max): a retransmission rewinds SND.NXT, and ACKs up to SND.MAX
    // stay acceptable.
    private uint _iss, _sndUna, _sndNxt, _sndMax, _sndWl1, _sndWl2;
    private long _sndWnd;
    private readonly ByteRing _send;
    /// <summary>The sequence number of the send buffer's first byte.</summary>
    private uint _sendBase;
    /// <summary>The FIN is queued (after the buffered data); it has been sent at _finSeq.</summary>
    private bool _finQueued, _finSent;
    private uint _finSeq;
    /// <summary>The end of the last segment sent shorter than the MSS (Linux's snd_sml), for Nagle.</summary>
    private uint _smallEnd;
    private int _sndScale, _rcvScale;
    private int _mss = 536;

    // Receive side: RCV.NXT, IRS, and the window last advertised.
    private uint _irs, _rcvNxt;
    /// <summary>RCV.NXT + the window last advertised: the right edge never moves left (RFC 9293 3.8.6.2.2).</summary>
    private uint _rcvRightEdge;
    private bool _rightEdgeSet;
    /// <summary>A FIN that arrived beyond a hole, taken once the hole fills.</summary>
    private bool _finPending;
    private uint _finPendingSeq;
    private readonly ByteRing _receive;
    /// <summary>Segments beyond RCV.NXT, by sequence (kept sorted, overlaps trimmed on arrival).</summary>
    private readonly List<OutOfOrder> _outOfOrder = new List<OutOfOrder>();
    private int _outOfOrderBytes;
    private long _advertised;
    // Delayed ACKs (RFC 1122 4.2.3.2, RFC 9293 3.8.6.3, Linux's __tcp_ack_snd_check): in-order data
    // is acknowledged once more than one full segment (_rcvMss, the largest seen) is unacknowledged,
    // else within DelayedAckTime; out-of-order data, a filled hole and the first QuickAcks segments
    // (Linux's quickack mode, for the peer's slow start) at once, and a pending one when the reader
    // empties the queue outside ping-pong exchanges (Read). Any segment sent carries the ACK.
    private uint _lastAckSent;
    private int _rcvMss = 536, _quickAcks = QuickAcks;
    private ulong _delayedAckDeadline;
    private bool _pingPong;
    public const ulong DelayedAckTime = 40_000_000; // Linux's TCP_DELACK_MIN
    public const int QuickAcks = 16;

    // Timers and congestion control.
    private ulong _rto = InitialRto, _srtt, _rttvar;
    private ulong _rtoDeadline, _timeWaitDeadline;
    private uint _rttSeq;
    private ulong _rttStart;
    private int _retries, _probes;
    private long _cwnd, _ssthresh = int.MaxValue;
    private int _dupAcks;

    /// <summary>The local side's maximum segment size: what fits lo's 65536-byte MTU.</summary>
    public readonly int LocalMss;

    public TcpConnection(uint localAddress, ushort localPort, uint remoteAddress, ushort remotePort, int sendBuffer, int receiveBuffer,
        int localMss, Action<byte[]> output)
    {
        LocalAddress = localAddress;
        LocalPort = localPort;
        RemoteAddress = remoteAddress;
        RemotePort = remotePort;
        _send = new ByteRing(sendBuffer);
        _receive = new ByteRing(receiveBuffer);
        LocalMss = localMss;
        _output = output;
        State = TcpState.Closed;
    }

    // ---- sequence arithmetic (RFC 9293 3.4: modulo 2^32) -------------------------------------

    private static bool Lt(uint a, uint b) => (int)(a - b) < 0;
    private static bool Le(uint a, uint b) => (int)(a - b) <= 0;

    /// <summary>Bytes of data readable now.</summary>
    public int Readable => _receive.Count;
    /// <summary>Room in the send buffer now.</summary>
    public int Writable => _finQueued ? 0 : _send.Free;
    /// <summary>Bytes sent but not yet acknowledged or not yet sent (SIOCOUTQ).</summary>
    public int Unacknowledged => _send.Count;
    public int SendBufferSize { get => _send.Capacity; set => _send.Capacity = value; }
    public int ReceiveBufferSize { get => _receive.Capacity; set => _receive.Capacity = value; }
    /// <summary>The peer's MSS as agreed (TCP_MAXSEG).</summary>
    public int Mss => _mss;

    /// <summary>Whether the connection has reached Established (or later states reached through it).</summary>
    public bool Synchronized => State != TcpState.Closed && State != TcpState.SynSent && State != TcpState.SynReceived && State != TcpState.Listen;

    /// <summary>The earliest deadline the owner must call Timer at (0: none).</summary>
    public ulong NextDeadline
    {
        get
        {
            if (State == TcpState.TimeWait) return _timeWaitDeadline;
            ulong due = State == TcpState.FinWait2 ? _finWait2Deadline : Earliest(_rtoDeadline, KeepaliveDue);
            return Earliest(due, _delayedAckDeadline);
        }
    }

    private static ulong Earliest(ulong a, ulong b) => a == 0 ? b : b == 0 ? a : Math.Min(a, b);

    private sealed class OutOfOrder
    {
        public readonly uint Sequence;
        public readonly byte[] Data;

        public OutOfOrder(uint sequence, byte[] data)
        {
            Sequence = sequence;
            Data = data;
        }
    }

    private void Changed() => Changes++;

    private void SetState(TcpState state)
    {
        State = state;
        Changed();
    }

    /// <summary>An ICMP error about this connection's packets (tcp_v4_err): a connection still
    /// opening fails with it at once; an open one keeps it as its soft error, which a timeout then
    /// reports instead of ETIMEDOUT.</summary>
    public void IcmpError(int error)
    {
        if (State == TcpState.SynSent || State == TcpState.SynReceived)
        {
            Fail(error);
            return;
        }
        if (State != TcpState.Closed && State != TcpState.TimeWait) _softError = error;
    }

    private int _softError;

    /// <summary>What a timeout reports: the last ICMP error heard, else ETIMEDOUT.</summary>
    private int TimedOut => _softError != 0 ? _softError : Errno.ETIMEDOUT;

    /// <summary>The connection fails with <paramref name="error"/>: closed, buffers dropped.</summary>
    private void Fail(int error)
    {
        if (Statistics != null)
        {
            if (State == TcpState.SynSent || State == TcpState.SynReceived) Count(ref Statistics.AttemptFails);
            else if (State == TcpState.Established || State == TcpState.CloseWait) Count(ref Statistics.EstabResets);
        }
        Error = error;
        if (!Kevlar.Runtime.Diagnostics.SeededBugs.RtoLeftArmedAfterClose) _rtoDeadline = 0;
        _send.Consume(_send.Count);
        SetState(TcpState.Closed);
    }

    /// <summary>Takes the pending error (SO_ERROR, a read or write that reports it): once.</summary>
    public int TakeError()
    {
        int e = Error;
        Error = 0;
        return e;
    }

    // ---- opening -------------------------------------------------------------------------

    /// <summary>connect: SYN_SENT, the SYN sent with MSS and window scale.</summary>
    public void OpenActive(uint iss, ulong now)
    {
        _iss = iss;
        _sndUna = iss;
        _sndNxt = _sndMax = _smallEnd = iss + 1;
        _sendBase = iss + 1;
        if (Statistics != null) Count(ref Statistics.ActiveOpens);
        SetState(TcpState.SynSent);
        SendSyn(false);
        ArmRto(now);
    }

    /// <summary>A listener's child for the SYN <paramref name="syn"/>: SYN_RECEIVED, the SYN-ACK sent.</summary>
    public void OpenPassive(in TcpHeader syn, uint iss, ulong now)
    {
        _irs = syn.Sequence;
        _rcvNxt = syn.Sequence + 1;
        TakeSynOptions(syn);
        _sndWnd = syn.Window; // a SYN's window is never scaled
        _sndWl1 = syn.Sequence;
        _iss = iss;
        _sndUna = iss;
        _sndNxt = _sndMax = _smallEnd = iss + 1;
        _sendBase = iss + 1;
        if (Statistics != null) Count(ref Statistics.PassiveOpens);
        SetState(TcpState.SynReceived);
        SendSyn(true);
        ArmRto(now);
    }

    private void TakeSynOptions(in TcpHeader syn)
    {
        _mss = Math.Min(syn.Mss > 0 ? syn.Mss : 536, LocalMss);
        if (syn.WindowScale >= 0)
        {
            _sndScale = syn.WindowScale;
            _rcvScale = OfferedScale;
        }
        else _sndScale = _rcvScale = 0;
        _cwnd = 10L * _mss; // RFC 6928's initial window
    }

    private void SendSyn(bool ack)
    {
        var h = new TcpHeader(LocalPort, RemotePort, _iss, ack ? _rcvNxt : 0, (byte)(TcpHeader.Syn | (ack ? TcpHeader.Ack : 0)),
            (ushort)Math.Min(65535, ReceiveWindow), LocalMss, ack && _rcvScale == 0 ? -1 : OfferedScale);
        Emit(h, ReadOnlySpan<byte>.Empty);
    }
}

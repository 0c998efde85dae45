// TcpConnectionTests: the TCP state machine (RFC 9293 3.10) against scripted
// segment exchanges. A Wire joins two connections — A (127.0.0.1:40000, the
// side that connects) and B (127.0.0.1:80, made by OpenPassive when A's first
// SYN reaches it, as a listener makes its child) — through a queue per side
// of the packets each emits; every packet is parsed back (IPv4 and TCP
// checksums checked) and can be dropped, duplicated, held and delivered out
// of order; a fake clock moves on and fires Timer at NextDeadline. Other
// tests hand-craft the peer's segments into a lone connection to reach one
// state. Covered: the handshake and its options, data both ways, loss and
// RTO backoff (RFC 6298, Karn's rule), out-of-order and duplicate segments,
// fast retransmit (RFC 5681), zero windows and their probes, the closing
// states and TIME_WAIT, simultaneous open and close, RSTs and SYNs in each
// state (RFC 5961), Abort, data for a closed socket, Nagle, giving up, and
// the RST a host sends for a segment no connection takes.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Kevlar.Net;
using Xunit;

namespace Kevlar.Net.Tests;

public class TcpConnectionTests
{
    private const uint Lo = 0x7F000001;
    private const ushort PortA = 40000, PortB = 80;
    private const uint IssA = 1000, IssB = 5000;
    private const ulong Ms = 1_000_000, Second = 1_000_000_000;
    /// <summary>The fake clock's start. Not 0: a segment sent at time 0 would not be timed (0 means "none").</summary>
    private const ulong Start = 1 * Second;
    private const byte Syn = TcpHeader.Syn, Ack = TcpHeader.Ack, Fin = TcpHeader.Fin, Rst = TcpHeader.Rst, Psh = TcpHeader.Psh;

    // ---- segments ------------------------------------------------------------------------

    /// <summary>One emitted packet parsed back: its TCP header and data.</summary>
    private sealed class Seg
    {
        public readonly TcpHeader H;
        public readonly byte[] Data;

        public Seg(TcpHeader h, byte[] data)
        {
            H = h;
            Data = data;
        }

        public uint Seq => H.Sequence;
        public uint AckNo => H.Acknowledgment;
        public bool Has(byte flag) => H.Has(flag);
        public bool IsData => Data.Length > 0;

        public override string ToString()
        {
            var f = new List<string>();
            if (Has(Syn)) f.Add("SYN");
            if (Has(Fin)) f.Add("FIN");
            if (Has(Rst)) f.Add("RST");
            if (Has(Psh)) f.Add("PSH");
            if (Has(Ack)) f.Add("ACK");
            return $"{H.SourcePort}->{H.DestinationPort} {string.Join('|', f)} seq={Seq} ack={AckNo} win={H.Window} len={Data.Length}";
        }
    }

    /// <summary>Parses a whole IPv4 packet (both checksums checked) into its TCP header and data.</summary>
    private static Seg Parse(byte[] packet, uint source = Lo, uint destination = Lo)
    {
        Assert.Equal(PacketDrop.None, Ipv4Header.Parse(packet, out Ipv4Header ip));
        Assert.Equal(Ipv4Header.ProtocolTcp, ip.Protocol);
        Assert.Equal(packet.Length, ip.TotalLength);
        Assert.Equal(source, ip.Source);
        Assert.Equal(destination, ip.Destination);
        ReadOnlySpan<byte> segment = packet.AsSpan(ip.HeaderLength, ip.TotalLength - ip.HeaderLength);
        Assert.Equal(PacketDrop.None, TcpHeader.Parse(segment, ip.Source, ip.Destination, out TcpHeader h));
        return new Seg(h, segment.Slice(h.HeaderLength).ToArray());
    }

    private static byte[] Pattern(int n, int seed = 0)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(i * 31 + (i >> 9) + seed);
        return b;
    }

    private static byte[] ReadAll(TcpConnection c, ulong now)
    {
        var b = new byte[c.Readable];
        Assert.Equal(b.Length, c.Read(b, false, now));
        return b;
    }

    // ---- the wire between A and B ----------------------------------------------------------

    private sealed class Wire
    {
        public ulong Now = Start;
        public readonly TcpConnection A;
        public TcpConnection? B;
        /// <summary>Packets emitted and not yet delivered, per sender.</summary>
        public readonly List<Seg> FromA = new(), FromB = new();
        /// <summary>Every packet each side emitted, in order.</summary>
        public readonly List<Seg> SentByA = new(), SentByB = new();
        /// <summary>Both sides' packets in the order emitted (for failure messages).</summary>
        private readonly List<string> _log = new();
        /// <summary>Pump drops the packets these pick.</summary>
        public Func<Seg, bool> DropFromA = _ => false, DropFromB = _ => false;
        private readonly int _bSend, _bReceive, _bMss;
        private readonly uint _issB;

        public Wire(int aSend = 65536, int aReceive = 65536, int bSend = 65536, int bReceive = 65536, int aMss = 1460, int bMss = 1460,
            uint issB = IssB)
        {
            A = new TcpConnection(Lo, PortA, Lo, PortB, aSend, aReceive, aMss, p => Emitted(p, true));
            _bSend = bSend;
            _bReceive = bReceive;
            _bMss = bMss;
            _issB = issB;
        }

        public TcpConnection Bc => B ?? throw new InvalidOperationException("B does not exist yet");

        /// <summary>B made up front (for a simultaneous open), not by A's SYN.</summary>
        public TcpConnection MakeB() => B = new TcpConnection(Lo, PortB, Lo, PortA, _bSend, _bReceive, _bMss, p => Emitted(p, false));

        private void Emitted(byte[] packet, bool fromA)
        {
            Seg s = Parse(packet);
            Assert.Equal(fromA ? PortA : PortB, s.H.SourcePort);
            Assert.Equal(fromA ? PortB : PortA, s.H.DestinationPort);
            (fromA ? SentByA : SentByB).Add(s);
            (fromA ? FromA : FromB).Add(s);
            _log.Add(s.ToString());
        }

        /// <summary>A handshake with nothing lost: both Established.</summary>
        public void Connect(uint issA = IssA)
        {
            A.OpenActive(issA, Now);
            Pump();
            Assert.Equal(TcpState.Established, A.State);
            Assert.Equal(TcpState.Established, Bc.State);
        }

        /// <summary>A segment reaches B; while there is no B, a SYN makes it (the listener's child).</summary>
        public void ToB(Seg s)
        {
            if (B == null)
            {
                if (s.Has(Syn) && !s.Has(Ack))
                {
                    MakeB();
                    Bc.OpenPassive(s.H, _issB, Now);
                }
                return;
            }
            B.Input(s.H, s.Data, Now);
        }

        public void ToA(Seg s) => A.Input(s.H, s.Data, Now);

        public Seg TakeFromA(int i = 0)
        {
            Seg s = FromA[i];
            FromA.RemoveAt(i);
            return s;
        }

        public Seg TakeFromB(int i = 0)
        {
            Seg s = FromB[i];
            FromB.RemoveAt(i);
            return s;
        }

        /// <summary>Delivers queued packets, one from each side in turn, the drop filters applied, until
        /// both queues are empty; fails when the two sides never go quiet (an endless ACK exchange).</summary>
        public void Pump(int limit = 5_000)
        {
            for (int n = 0; FromA.Count > 0 || FromB.Count > 0; n++)
            {
                if (n >= limit)
                    Assert.Fail($"the wire did not go quiet after {limit} rounds: A and B answer each other forever. The last packets:\n  "
                        + string.Join("\n  ", _log.Skip(Math.Max(0, _log.Count - 8))));
                if (FromA.Count > 0)
                {
                    Seg s = TakeFromA();
                    if (!DropFromA(s)) ToB(s);
                }
                if (FromB.Count > 0)
                {
                    Seg s = TakeFromB();
                    if (!DropFromB(s)) ToA(s);
                }
            }
        }

        /// <summary>Calls Timer on each side whose deadline has come.</summary>
        public void Fire()
        {
            if (A.NextDeadline != 0 && Now >= A.NextDeadline) A.Timer(Now);
            if (B != null && B.NextDeadline != 0 && Now >= B.NextDeadline) B.Timer(Now);
        }

        public void Advance(ulong ns)
        {
            Now += ns;
            Fire();
        }

        /// <summary>Moves the clock to the earlier armed deadline of the two and fires it: false when none is armed.</summary>
        public bool AdvanceToDeadline()
        {
            ulong a = A.NextDeadline, b = B?.NextDeadline ?? 0;
            ulong d = a == 0 ? b : b == 0 ? a : Math.Min(a, b);
            if (d == 0) return false;
            if (d > Now) Now = d;
            Fire();
            return true;
        }

        public int DataSegmentsFromA => SentByA.Count(s => s.IsData);
    }

    // ---- a lone connection fed hand-made segments ------------------------------------------

    private sealed class Lone
    {
        public ulong Now = Start;
        public readonly TcpConnection C;
        public readonly List<Seg> Sent = new();

        public Lone(int receive = 65536, int send = 65536, int mss = 1460)
            => C = new TcpConnection(Lo, PortA, Lo, PortB, send, receive, mss, p => Sent.Add(Parse(p)));

        /// <summary>A segment from the peer: written as a packet with TcpHeader.Packet, parsed back, fed to Input.</summary>
        public void In(uint seq, uint ack, byte flags, ushort window = 1024, byte[]? data = null, int mss = 0, int windowScale = -1)
        {
            byte[] p = new TcpHeader(PortB, PortA, seq, ack, flags, window, mss, windowScale).Packet(Lo, Lo, data ?? [], 1, 64);
            Seg s = Parse(p);
            C.Input(s.H, s.Data, Now);
        }

        /// <summary>connect, then the peer's SYN-ACK (ISS IssB, MSS 1000, window scale 7): Established with
        /// SND.NXT = IssA + 1 and RCV.NXT = IssB + 1; what was sent so far is forgotten.</summary>
        public void Establish()
        {
            C.OpenActive(IssA, Now);
            In(IssB, IssA + 1, Syn | Ack, 65535, mss: 1000, windowScale: 7);
            Assert.Equal(TcpState.Established, C.State);
            Sent.Clear();
        }
    }

    // ---- 1. the handshake ------------------------------------------------------------------

    [Fact]
    public void Handshake_ThreeWay_StatesAndOptions()
    {
        var w = new Wire(aMss: 1460, bMss: 1000, bReceive: 32768);

        w.A.OpenActive(IssA, w.Now);
        Assert.Equal(TcpState.SynSent, w.A.State);
        Seg syn = Assert.Single(w.FromA);
        Assert.Equal(Syn, syn.H.Flags);
        Assert.Equal(IssA, syn.Seq);
        Assert.Equal(1460, syn.H.Mss);
        Assert.Equal(TcpConnection.OfferedScale, syn.H.WindowScale);
        Assert.Equal(65535, syn.H.Window); // a SYN's window is never scaled: 65536 capped
        Assert.Empty(syn.Data);
        Assert.Equal(Start + TcpConnection.InitialRto, w.A.NextDeadline);

        w.ToB(w.TakeFromA());
        Assert.Equal(TcpState.SynReceived, w.Bc.State);
        Seg synAck = Assert.Single(w.FromB);
        Assert.Equal(Syn | Ack, synAck.H.Flags);
        Assert.Equal(IssB, synAck.Seq);
        Assert.Equal(IssA + 1, synAck.AckNo);
        Assert.Equal(1000, synAck.H.Mss);
        Assert.Equal(TcpConnection.OfferedScale, synAck.H.WindowScale);
        Assert.Equal(32768, synAck.H.Window);

        w.ToA(w.TakeFromB());
        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal(0ul, w.A.NextDeadline);
        Seg ack = Assert.Single(w.FromA);
        Assert.Equal(Ack, ack.H.Flags);
        Assert.Equal(IssA + 1, ack.Seq);
        Assert.Equal(IssB + 1, ack.AckNo);
        Assert.Equal(0, ack.H.Mss);
        Assert.Equal(-1, ack.H.WindowScale);
        Assert.Equal(65536 >> TcpConnection.OfferedScale, ack.H.Window); // scaled from here on

        w.ToB(w.TakeFromA());
        Assert.Equal(TcpState.Established, w.Bc.State);
        Assert.Equal(0ul, w.Bc.NextDeadline);
        Assert.Empty(w.FromA);
        Assert.Empty(w.FromB);
        // The MSS each side sends with is the smaller of the two offered.
        Assert.Equal(1000, w.A.Mss);
        Assert.Equal(1000, w.Bc.Mss);
    }

    [Fact]
    public void Handshake_PeerOffersNoOptions_NoScalingAndDefaultMss()
    {
        var c = new Lone();
        c.C.OpenPassive(new TcpHeader(PortB, PortA, IssB, 0, Syn, 8192), IssA, c.Now);

        Seg synAck = Assert.Single(c.Sent);
        Assert.Equal(Syn | Ack, synAck.H.Flags);
        Assert.Equal(-1, synAck.H.WindowScale); // scaling only when both offer it (RFC 7323 2.2)
        Assert.Equal(1460, synAck.H.Mss);
        Assert.Equal(536, c.C.Mss); // RFC 9293 3.7.1: 536 when the peer names none

        c.In(IssB + 1, IssA + 1, Ack, 8192);
        Assert.Equal(TcpState.Established, c.C.State);
        c.C.NoDelay = true;
        Assert.Equal(1000, c.C.Write(Pattern(1000), c.Now));
        Assert.Equal(2, c.Sent.Count - 1);
        Assert.Equal(536, c.Sent[1].Data.Length);
        Assert.Equal(464, c.Sent[2].Data.Length);
        Assert.Equal(65535, c.Sent[1].H.Window); // unscaled: the 64 KiB buffer's room, capped
    }

    // ---- 2. data ---------------------------------------------------------------------------

    [Fact]
    public void Data_BothWays_ArrivesInOrder_AndPeekLeavesIt()
    {
        var w = new Wire();
        w.Connect();

        Assert.Equal(5, w.A.Write("hello"u8, w.Now));
        Seg s = Assert.Single(w.FromA);
        Assert.Equal(Ack | Psh, s.H.Flags);
        Assert.Equal(IssA + 1, s.Seq);
        Assert.Equal(IssB + 1, s.AckNo);
        Assert.Equal("hello", Encoding.ASCII.GetString(s.Data));
        Assert.Equal(5, w.A.Unacknowledged);
        Assert.NotEqual(0ul, w.A.NextDeadline);
        w.Pump();

        Assert.Equal(IssA + 6, w.SentByB[^1].AckNo);
        Assert.Equal(0, w.A.Unacknowledged);
        Assert.Equal(0ul, w.A.NextDeadline);
        var buf = new byte[16];
        Assert.Equal(5, w.Bc.Read(buf, true, w.Now));
        Assert.Equal("hello", Encoding.ASCII.GetString(buf, 0, 5));
        Assert.Equal(5, w.Bc.Readable);
        Assert.Equal(3, w.Bc.Read(buf.AsSpan(0, 3), false, w.Now));
        Assert.Equal("hel", Encoding.ASCII.GetString(buf, 0, 3));
        Assert.Equal(2, w.Bc.Read(buf, false, w.Now));
        Assert.Equal("lo", Encoding.ASCII.GetString(buf, 0, 2));
        Assert.Equal(0, w.Bc.Readable);

        // Both write before either hears the other.
        Assert.Equal(6, w.Bc.Write("world!"u8, w.Now));
        Assert.Equal(5, w.A.Write("again"u8, w.Now));
        w.Pump();
        Assert.Equal("world!", Encoding.ASCII.GetString(ReadAll(w.A, w.Now)));
        Assert.Equal("again", Encoding.ASCII.GetString(ReadAll(w.Bc, w.Now)));
        Assert.Equal(0, w.A.Unacknowledged);
        Assert.Equal(0, w.Bc.Unacknowledged);
    }

    [Fact]
    public void Data_OneMebibyteThrough64KiBBuffers_ArrivesIntact_AcrossSequenceWrap()
    {
        const int Total = 1 << 20;
        // Both ISSs near a wrap of the 32-bit sequence space (A's wraps after 4 KiB).
        var w = new Wire(aSend: 65536, bReceive: 65536, issB: 0x7FFF_FF00);
        w.Connect(0xFFFF_F000);
        byte[] data = Pattern(Total);
        var got = new byte[Total];
        int written = 0, read = 0;

        for (int round = 0; read < Total; round++)
        {
            Assert.True(round < 20_000, $"stalled: {written} bytes written, {read} read");
            int before = read + written;
            if (written < Total)
            {
                int n = w.A.Write(data.AsSpan(written), w.Now);
                Assert.True(n >= 0, $"write failed: {n}");
                written += n;
            }
            w.Pump();
            read += w.Bc.Read(got.AsSpan(read), false, w.Now);
            w.Pump();
            w.Now += Ms;
            if (read + written == before) w.AdvanceToDeadline();
        }

        Assert.True(data.AsSpan().SequenceEqual(got), $"first difference at byte {data.AsSpan().CommonPrefixLength(got)}");
        Assert.Equal(Total, w.SentByA.Sum(s => s.Data.Length)); // a lossless wire: nothing sent twice
        // The last segment's ACK may wait for the delayed-ACK timer (under two full segments).
        w.Advance(TcpConnection.DelayedAckTime);
        w.Pump();
        Assert.Equal(0, w.A.Unacknowledged);
    }

    [Fact]
    public void DelayedAck_EverySecondFullSegment_ElseWithinTheDelay()
    {
        var w = new Wire(aSend: 1 << 20, bReceive: 1 << 20);
        w.Connect();
        byte[] data = Pattern(40 * 1460); // 40 full segments: no small one for Nagle to hold
        // Past the quick ACKs of the start (Linux's quickack mode): 16 segments acknowledged one by one.
        Assert.Equal(data.Length, w.A.Write(data, w.Now));
        w.Pump();
        int dataSegments = w.SentByA.Count(s => s.IsData), acks = w.SentByB.Count(s => !s.IsData && s.Has(Ack));
        Assert.True(dataSegments >= 40, $"{dataSegments} data segments");
        // 16 quick ACKs, then one per two full segments (a lone last one may wait).
        Assert.InRange(acks, 16 + (dataSegments - 16) / 2 - 1, 16 + (dataSegments - 16) / 2 + 1);
        // A lone segment is acknowledged within the delay, not at once.
        int before = w.SentByB.Count;
        Assert.Equal(100, w.A.Write(data.AsSpan(0, 100), w.Now));
        w.Pump();
        Assert.Equal(before, w.SentByB.Count);
        Assert.Equal(w.Now + TcpConnection.DelayedAckTime, w.Bc.NextDeadline);
        Assert.True(w.AdvanceToDeadline());
        w.Pump();
        Assert.Equal(before + 1, w.SentByB.Count);
        Assert.Equal(0, w.A.Unacknowledged);
    }

    // ---- 3. loss and the retransmission timer ------------------------------------------------

    [Fact]
    public void Retransmission_LostSegment_ResentAtTheDeadline_RtoDoubling()
    {
        var w = new Wire();
        w.Connect();
        int drops = 3;
        w.DropFromA = s => s.IsData && drops-- > 0;
        byte[] data = Pattern(100);
        ulong sent = w.Now;
        w.A.Write(data, w.Now);
        w.Pump();
        Assert.Equal(0, w.Bc.Readable);

        // No RTT sample yet (SYNs are not timed): the first RTO is the initial 1 s.
        ulong d1 = w.A.NextDeadline;
        Assert.Equal(sent + TcpConnection.InitialRto, d1);
        w.Now = d1 - 1;
        w.Fire();
        w.Pump();
        Assert.Equal(1, w.DataSegmentsFromA);

        var deadlines = new List<ulong> { sent, d1 };
        for (int i = 2; i <= 4; i++)
        {
            w.Now = w.A.NextDeadline;
            w.Fire();
            Assert.Equal(i, w.DataSegmentsFromA);
            Seg again = w.SentByA.Last(s => s.IsData);
            Assert.Equal(IssA + 1, again.Seq);
            Assert.Equal(data, again.Data);
            w.Pump();
            deadlines.Add(w.A.NextDeadline);
        }

        // The fourth transmission got through; each gap before it was twice the one before.
        Assert.Equal(data, ReadAll(w.Bc, w.Now));
        Assert.Equal(0ul, deadlines[^1]);
        Assert.Equal(2 * (deadlines[1] - deadlines[0]), deadlines[2] - deadlines[1]);
        Assert.Equal(2 * (deadlines[2] - deadlines[1]), deadlines[3] - deadlines[2]);
        Assert.Equal(0, w.A.Unacknowledged);
    }

    [Fact]
    public void Retransmission_FirstOfThreeLost_CumulativeAckAfterTheTimeout_Recovers()
    {
        var w = new Wire(aMss: 1000, bMss: 1000);
        w.Connect();
        w.A.NoDelay = true;
        bool dropped = false;
        w.DropFromA = s => s.IsData && !dropped && (dropped = true);
        byte[] data = Pattern(3000);
        Assert.Equal(3000, w.A.Write(data, w.Now));
        Assert.Equal(3, w.FromA.Count);
        w.Pump(); // the second and third segments wait out of order at B
        Assert.Equal(0, w.Bc.Readable);

        // A's timer resends the first segment; it fills B's hole and B acknowledges all 3000 bytes.
        Assert.True(w.AdvanceToDeadline());
        w.Pump();

        Assert.Equal(data, ReadAll(w.Bc, w.Now));
        Assert.Equal(0, w.A.Unacknowledged);
        Assert.Equal(0ul, w.A.NextDeadline);
    }

    [Fact]
    public void Retransmission_SpuriousTimeout_AckTakesNoRttSample_KarnsRule()
    {
        var w = new Wire();
        w.Connect();
        w.A.Write(Pattern(100), w.Now);
        Seg original = w.TakeFromA(); // delayed in the network past A's RTO
        ulong rto = w.A.NextDeadline - w.Now;
        Assert.Equal(TcpConnection.InitialRto, rto);

        Assert.True(w.AdvanceToDeadline());
        Assert.Equal(2, w.DataSegmentsFromA);
        w.ToB(original); // the original arrives just after the retransmission left
        w.Pump(); // B's ACK: for the original or the retransmission? Ambiguous.
        Assert.Equal(0, w.A.Unacknowledged);

        // RFC 6298 3 (Karn): no RTT sample from a retransmitted segment, and the backed-off RTO
        // (2 s) stays until a valid sample: the next segment's timer is 2 s, not the 0 s RTT's floor.
        w.A.Write(Pattern(100), w.Now);
        Assert.Equal(2 * rto, w.A.NextDeadline - w.Now);
    }

    // ---- 4. lost SYN, lost SYN-ACK ------------------------------------------------------------

    [Fact]
    public void Handshake_LostSyn_EstablishesAfterRetransmission()
    {
        var w = new Wire();
        bool dropped = false;
        w.DropFromA = s => s.Has(Syn) && !dropped && (dropped = true);
        w.A.OpenActive(IssA, w.Now);
        w.Pump();
        Assert.Null(w.B);
        Assert.Equal(TcpState.SynSent, w.A.State);

        Assert.Equal(Start + TcpConnection.InitialRto, w.A.NextDeadline);
        Assert.True(w.AdvanceToDeadline());
        w.Pump();

        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal(TcpState.Established, w.Bc.State);
        var syns = w.SentByA.Where(s => s.Has(Syn)).ToList();
        Assert.Equal(2, syns.Count);
        Assert.All(syns, s =>
        {
            Assert.Equal(IssA, s.Seq);
            Assert.Equal(1460, s.H.Mss);
            Assert.Equal(TcpConnection.OfferedScale, s.H.WindowScale);
        });
    }

    [Fact]
    public void Handshake_LostSynAck_EstablishesAfterRetransmission()
    {
        var w = new Wire();
        bool dropped = false;
        w.DropFromB = s => s.Has(Syn) && !dropped && (dropped = true);
        w.A.OpenActive(IssA, w.Now);
        w.Pump();
        Assert.Equal(TcpState.SynSent, w.A.State);
        Assert.Equal(TcpState.SynReceived, w.Bc.State);

        Assert.True(w.AdvanceToDeadline());
        w.Pump();

        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal(TcpState.Established, w.Bc.State);
        Assert.True(w.SentByB.Count(s => s.Has(Syn) && s.Has(Ack)) >= 2);
        Assert.DoesNotContain(w.SentByA.Concat(w.SentByB), s => s.Has(Rst));
        // Data flows on the connection so made.
        w.A.Write("x"u8, w.Now);
        w.Pump();
        Assert.Equal(1, w.Bc.Readable);
    }

    // ---- 5. out of order, duplicate ACKs, fast retransmit -------------------------------------

    [Fact]
    public void OutOfOrder_SegmentTwoFirst_HeldUntilSegmentOneArrives()
    {
        var w = new Wire(aMss: 1000, bMss: 1000);
        w.Connect();
        w.A.NoDelay = true;
        byte[] data = Pattern(2000);
        w.A.Write(data, w.Now);
        Assert.Equal(2, w.FromA.Count);
        Seg s1 = w.TakeFromA(), s2 = w.TakeFromA();

        w.ToB(s2);
        Assert.Equal(0, w.Bc.Readable);
        // An out-of-order segment draws an immediate duplicate ACK naming the hole (RFC 5681 4.2).
        Seg dup = Assert.Single(w.FromB);
        Assert.Equal(s1.Seq, dup.AckNo);
        Assert.False(dup.IsData);
        w.ToA(w.TakeFromB());
        Assert.Equal(2000, w.A.Unacknowledged);

        w.ToB(s1);
        Assert.Equal(data, ReadAll(w.Bc, w.Now));
        Seg ack = Assert.Single(w.FromB);
        Assert.Equal(s2.Seq + 1000, ack.AckNo); // one cumulative ACK for both
        w.Pump();
        Assert.Equal(0, w.A.Unacknowledged);
        Assert.Equal(0ul, w.A.NextDeadline);
    }

    [Fact]
    public void OutOfOrder_ThreeDuplicateAcks_TriggerFastRetransmit()
    {
        var w = new Wire(aMss: 1000, bMss: 1000);
        w.Connect();
        w.A.NoDelay = true;
        int fromB = w.SentByB.Count;
        byte[] data = Pattern(5000);
        w.A.Write(data, w.Now);
        Assert.Equal(5, w.FromA.Count);
        Seg s1 = w.TakeFromA(); // lost

        w.Pump(); // segments 2-5 reach B out of order: four duplicate ACKs
        var dupAcks = w.SentByB.Skip(fromB).Where(s => s.AckNo == s1.Seq && !s.IsData).ToList();
        Assert.Equal(4, dupAcks.Count);

        // The third duplicate ACK resends segment 1 at once, the clock not having moved.
        Assert.Equal(Start, w.Now);
        Assert.True(w.SentByA.Skip(6).Any(s => s.Seq == s1.Seq && s.IsData),
            "A did not fast-retransmit after four duplicate ACKs; they advertised the windows "
            + string.Join(", ", dupAcks.Select(a => a.H.Window)) + " (a changed window makes an ACK no duplicate, RFC 5681 2)");
        w.Pump();
        Assert.Equal(data, ReadAll(w.Bc, w.Now));
    }

    [Fact]
    public void FastRetransmit_ThreeHandMadeDuplicateAcks_ResendAtOnce()
    {
        var c = new Lone();
        c.Establish();
        c.C.NoDelay = true;
        c.C.Write(Pattern(5000), c.Now);
        Assert.Equal(5, c.Sent.Count);
        Assert.All(c.Sent, s => Assert.Equal(1000, s.Data.Length));

        // Duplicates: the same ACK (SND.UNA) and the same window, with data outstanding.
        ushort window = 65535 >> 7;
        c.In(IssB + 1, IssA + 1, Ack, window);
        c.In(IssB + 1, IssA + 1, Ack, window);
        Assert.Equal(5, c.Sent.Count);
        c.In(IssB + 1, IssA + 1, Ack, window);

        Assert.True(c.Sent.Count > 5);
        Assert.Equal(IssA + 1, c.Sent[5].Seq);
        Assert.Equal(c.Sent[0].Data, c.Sent[5].Data);
    }

    // ---- 6. duplicates --------------------------------------------------------------------

    [Fact]
    public void Duplicates_InAndOutOfOrder_DeliveredOnce()
    {
        var w = new Wire(aMss: 1000, bMss: 1000);
        w.Connect();
        w.A.NoDelay = true;
        byte[] data = Pattern(2500);
        w.A.Write(data, w.Now);
        var s = w.FromA.ToList();
        w.FromA.Clear();
        Assert.Equal(3, s.Count);

        w.ToB(s[1]);
        w.ToB(s[1]);
        w.ToB(s[2]);
        w.ToB(s[2]);
        Assert.Equal(0, w.Bc.Readable);
        // The out-of-order bytes are counted once, and the window's right edge does not move left.
        Assert.InRange(w.Bc.ReceiveWindow, 65536 - 1500, 65536);
        w.ToB(s[0]);
        w.ToB(s[0]);
        w.ToB(s[2]);
        Assert.Equal(data, ReadAll(w.Bc, w.Now));

        w.Pump();
        Assert.Equal(0, w.Bc.Readable);
        Assert.Equal(0, w.A.Unacknowledged);
    }

    [Fact]
    public void Duplicates_RetransmissionOverlappingReceivedData_OnlyNewBytesTaken()
    {
        var c = new Lone();
        c.Establish();
        c.In(IssB + 1, IssA + 1, Ack | Psh, data: "abcdef"u8.ToArray());
        c.In(IssB + 4, IssA + 1, Ack | Psh, data: "defghi"u8.ToArray());
        Assert.Equal("abcdefghi", Encoding.ASCII.GetString(ReadAll(c.C, c.Now)));
        Assert.Equal(IssB + 10, c.Sent[^1].AckNo);
    }

    // ---- 7. zero window -------------------------------------------------------------------

    [Fact]
    public void ZeroWindow_SenderStops_ProbesAtSndUnaMinusOne_ResumesAfterRead()
    {
        var w = new Wire(aMss: 1000, bMss: 1000, bReceive: 2000);
        w.Connect();
        byte[] data = Pattern(5000);
        Assert.Equal(5000, w.A.Write(data, w.Now));
        w.Pump();

        Assert.Equal(2000, w.Bc.Readable);
        Assert.Equal(0, w.Bc.ReceiveWindow);
        Assert.Equal(0, w.SentByB[^1].H.Window);
        Assert.Equal(3000, w.A.Unacknowledged);
        Assert.Equal(2000, w.SentByA.Sum(s => s.Data.Length));

        // B's application does not read: A's timer probes as Linux does — an empty segment at
        // SND.UNA - 1, which B cannot accept and answers with its (shut) window.
        var probeTimes = new List<ulong>();
        for (int i = 0; i < 3; i++)
        {
            probeTimes.Add(w.A.NextDeadline);
            Assert.True(w.AdvanceToDeadline());
            Seg probe = Assert.Single(w.FromA);
            Assert.Equal(IssA + 1 + 2000 - 1, probe.Seq);
            Assert.Empty(probe.Data);
            w.Pump();
            Assert.Equal(2000, w.Bc.Readable);
            Assert.Equal(0, w.SentByB[^1].H.Window);
            Assert.Equal(TcpState.Established, w.A.State);
        }
        Assert.True(probeTimes[2] - probeTimes[1] > probeTimes[1] - probeTimes[0], "the probes back off");

        // B reads: its window opens, it says so, and the rest flows as B keeps reading.
        var got = new List<byte>(ReadAll(w.Bc, w.Now));
        Seg update = Assert.Single(w.FromB);
        Assert.True(update.H.Window > 0);
        for (int round = 0; round < 20 && got.Count < data.Length; round++)
        {
            w.Pump();
            got.AddRange(ReadAll(w.Bc, w.Now));
        }
        Assert.Equal(data, got.ToArray());
        w.Pump();
        Assert.Equal(0, w.A.Unacknowledged);
    }

    [Fact]
    public void ZeroWindow_ProbeTakenByAPartlyOpenWindow_TransferCompletes()
    {
        var w = new Wire(aMss: 1000, bMss: 1000, bReceive: 2000);
        w.Connect();
        byte[] data = Pattern(3000);
        w.A.Write(data, w.Now);
        w.Pump();
        Assert.Equal(2000, w.Bc.Readable);

        // B's application reads a little: 100 bytes of room, less than a segment, so B announces nothing.
        var got = new List<byte>();
        var small = new byte[100];
        Assert.Equal(100, w.Bc.Read(small, false, w.Now));
        got.AddRange(small);
        Assert.Empty(w.FromB);

        // A's probe (empty, at SND.UNA - 1) draws B's window; the transfer completes as B reads on.
        Assert.True(w.AdvanceToDeadline());
        Assert.Empty(Assert.Single(w.FromA).Data);
        for (int round = 0; round < 40 && got.Count < data.Length; round++)
        {
            w.Pump();
            got.AddRange(ReadAll(w.Bc, w.Now));
            if (w.FromA.Count == 0 && w.FromB.Count == 0 && got.Count < data.Length) w.AdvanceToDeadline();
        }

        Assert.Equal(data, got.ToArray());
        w.Pump();
        Assert.Equal(0, w.A.Unacknowledged);
        Assert.Equal(TcpState.Established, w.A.State);
    }

    [Fact]
    public void ZeroWindow_PeerAnsweringEveryProbe_ConnectionStaysOpen()
    {
        var w = new Wire(aMss: 1000, bMss: 1000, bReceive: 2000);
        w.Connect();
        w.A.Write(Pattern(3000), w.Now);
        w.Pump();

        // RFC 1122 4.2.2.17: while the receiver keeps acknowledging the probes, the sender MUST
        // keep the connection open however long the window stays shut (Linux: tcp_probe_timer).
        for (int i = 1; i <= 30; i++)
        {
            Assert.True(w.AdvanceToDeadline());
            Assert.True(w.A.State == TcpState.Established,
                $"A gave up (state {w.A.State}, error {w.A.Error}) at zero-window probe {i}, though B answered every earlier one");
            Assert.Empty(Assert.Single(w.FromA).Data);
            w.Pump();
            Assert.Equal(0, w.SentByB[^1].H.Window);
        }
    }

    // ---- 8. closing -----------------------------------------------------------------------

    [Fact]
    public void Close_Normal_FinWaitCloseWaitLastAckTimeWait()
    {
        var w = new Wire();
        w.Connect();

        w.A.Finish(w.Now);
        Assert.Equal(TcpState.FinWait1, w.A.State);
        Seg fin = Assert.Single(w.FromA);
        Assert.Equal(Fin | Ack, fin.H.Flags);
        Assert.Equal(IssA + 1, fin.Seq);
        Assert.Equal(-Errno.EPIPE, w.A.Write("late"u8, w.Now));

        w.ToB(w.TakeFromA());
        Assert.Equal(TcpState.CloseWait, w.Bc.State);
        Assert.True(w.Bc.PeerFinished);
        Assert.Equal(IssA + 2, Assert.Single(w.FromB).AckNo);
        w.ToA(w.TakeFromB());
        Assert.Equal(TcpState.FinWait2, w.A.State);
        Assert.Equal(0ul, w.A.NextDeadline);

        // B's reader sees the end; B can still send, then closes.
        Assert.Equal(0, w.Bc.Read(new byte[10], false, w.Now));
        Assert.Equal(4, w.Bc.Write("last"u8, w.Now));
        w.Bc.Finish(w.Now);
        Assert.Equal(TcpState.LastAck, w.Bc.State);
        Assert.Equal(2, w.FromB.Count);
        Assert.True(w.FromB[1].Has(Fin));
        Assert.Equal(IssB + 1 + 4, w.FromB[1].Seq);

        w.ToA(w.TakeFromB());
        w.ToA(w.TakeFromB());
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal("last", Encoding.ASCII.GetString(ReadAll(w.A, w.Now)));
        Assert.True(w.A.PeerFinished);
        Assert.Equal(w.Now + TcpConnection.TimeWaitLength, w.A.NextDeadline);
        Assert.Equal(IssB + 1 + 4 + 1, w.FromA[^1].AckNo);
        w.Pump();
        Assert.Equal(TcpState.Closed, w.Bc.State);
        Assert.Equal(0, w.Bc.Error);
        Assert.Equal(0ul, w.Bc.NextDeadline);

        w.Advance(TcpConnection.TimeWaitLength - 1);
        Assert.Equal(TcpState.TimeWait, w.A.State);
        w.Advance(1);
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(0, w.A.Error);
        Assert.Equal(0ul, w.A.NextDeadline);
    }

    [Fact]
    public void Close_AfterData_FinFollowsTheData()
    {
        var w = new Wire(aMss: 1000, bMss: 1000);
        w.Connect();
        byte[] data = Pattern(2500);
        w.A.Write(data, w.Now);
        w.A.Finish(w.Now);
        Assert.Equal(0, w.A.Writable);
        w.Pump();

        Assert.Equal(data, ReadAll(w.Bc, w.Now));
        Assert.True(w.Bc.PeerFinished);
        Assert.Equal(TcpState.CloseWait, w.Bc.State);
        Assert.Equal(TcpState.FinWait2, w.A.State);
        Seg fin = w.SentByA.Single(s => s.Has(Fin));
        Assert.Equal(IssA + 1 + 2500, fin.Seq);
    }

    [Fact]
    public void Close_LostFin_RetransmittedByTheTimer()
    {
        var w = new Wire();
        w.Connect();
        bool dropped = false;
        w.DropFromA = s => s.Has(Fin) && !dropped && (dropped = true);
        w.A.Finish(w.Now);
        w.Pump();
        Assert.Equal(TcpState.Established, w.Bc.State);
        Assert.Equal(TcpState.FinWait1, w.A.State);

        Assert.True(w.AdvanceToDeadline());
        w.Pump();
        Assert.Equal(2, w.SentByA.Count(s => s.Has(Fin) && s.Seq == IssA + 1));
        Assert.Equal(TcpState.CloseWait, w.Bc.State);
        Assert.Equal(TcpState.FinWait2, w.A.State);
    }

    [Fact]
    public void Close_FinBeyondAHole_TakenOnceTheHoleFills()
    {
        var w = new Wire(aMss: 1000, bMss: 1000);
        w.Connect();
        byte[] data = Pattern(2000);
        w.A.Write(data, w.Now);
        w.A.Finish(w.Now);
        Assert.Equal(3, w.FromA.Count);
        Seg s1 = w.TakeFromA();
        w.Pump(); // the second segment and the FIN wait beyond the hole
        Assert.Equal(TcpState.Established, w.Bc.State);

        // The hole fills: B has every byte before the FIN and the FIN itself, and closes its
        // receive side at once (Linux keeps an out-of-order FIN in its ofo queue, tcp_data_queue_ofo),
        // without waiting for A's timer to send the FIN again.
        w.ToB(s1);
        w.Pump();
        Assert.Equal(data, ReadAll(w.Bc, w.Now));
        Assert.Equal(TcpState.CloseWait, w.Bc.State);
        Assert.True(w.Bc.PeerFinished);
        Assert.Equal(TcpState.FinWait2, w.A.State);
        Assert.Equal(Start, w.Now);
    }

    [Fact]
    public void Close_InSynSent_NothingMoreSent()
    {
        var w = new Wire();
        w.A.OpenActive(IssA, w.Now);
        w.A.Finish(w.Now);

        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(0ul, w.A.NextDeadline);
        Assert.Single(w.SentByA);
    }

    [Fact]
    public void Close_InSynReceived_FinFollowsTheHandshake()
    {
        var c = new Lone();
        c.C.OpenPassive(new TcpHeader(PortB, PortA, IssB, 0, Syn, 65535, 1000, 7), IssA, c.Now);
        c.C.Finish(c.Now);
        Assert.Equal(TcpState.SynReceived, c.C.State);
        Assert.Single(c.Sent); // the SYN-ACK only

        c.In(IssB + 1, IssA + 1, Ack);
        Assert.Equal(TcpState.FinWait1, c.C.State);
        Seg fin = c.Sent[^1];
        Assert.Equal(Fin | Ack, fin.H.Flags);
        Assert.Equal(IssA + 1, fin.Seq);
    }

    [Fact]
    public void TimeWait_RetransmittedFin_IsAcknowledged_AndRestartsTheWait()
    {
        var w = new Wire();
        w.Connect();
        w.A.Finish(w.Now);
        w.Pump();
        w.Bc.Finish(w.Now);
        bool dropped = false;
        w.DropFromA = s => !dropped && (dropped = true); // A's ACK of B's FIN is lost
        w.Pump();
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal(TcpState.LastAck, w.Bc.State);

        // B's timer sends the FIN again; A, in TIME_WAIT, acknowledges it and restarts the 2MSL wait
        // (RFC 9293 3.10.7.4; Linux's tcp_timewait_state_process reschedules it).
        Assert.True(w.AdvanceToDeadline());
        Assert.True(Assert.Single(w.FromB).Has(Fin));
        w.Pump();
        Assert.Equal(TcpState.Closed, w.Bc.State);
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal(w.Now + TcpConnection.TimeWaitLength, w.A.NextDeadline);
    }

    // ---- 9, 10. simultaneous close and open --------------------------------------------------

    [Fact]
    public void Close_Simultaneous_ClosingOnBoth_ThenTimeWait()
    {
        var w = new Wire();
        w.Connect();
        w.A.Finish(w.Now);
        w.Bc.Finish(w.Now);
        Assert.Equal(TcpState.FinWait1, w.A.State);
        Assert.Equal(TcpState.FinWait1, w.Bc.State);

        w.ToB(w.TakeFromA());
        Assert.Equal(TcpState.Closing, w.Bc.State);
        w.ToA(w.TakeFromB());
        Assert.Equal(TcpState.Closing, w.A.State);
        w.Pump();

        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal(TcpState.TimeWait, w.Bc.State);
        Assert.True(w.A.PeerFinished);
        Assert.True(w.Bc.PeerFinished);
        w.Advance(TcpConnection.TimeWaitLength);
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(TcpState.Closed, w.Bc.State);
        Assert.Equal(0, w.A.Error);
        Assert.Equal(0, w.Bc.Error);
    }

    [Fact]
    public void Open_Simultaneous_BothReachEstablished()
    {
        var w = new Wire();
        TcpConnection b = w.MakeB();
        w.A.OpenActive(IssA, w.Now);
        b.OpenActive(IssB, w.Now);

        Seg aSyn = w.TakeFromA(), bSyn = w.TakeFromB();
        Assert.Equal(Syn, aSyn.H.Flags);
        Assert.Equal(Syn, bSyn.H.Flags);

        // Each SYN reaches a side in SYN_SENT: SYN_RECEIVED, its own SYN sent again with an ACK.
        w.ToB(aSyn);
        Assert.Equal(TcpState.SynReceived, b.State);
        Seg bSynAck = Assert.Single(w.FromB);
        Assert.Equal(Syn | Ack, bSynAck.H.Flags);
        Assert.Equal(IssB, bSynAck.Seq);
        Assert.Equal(IssA + 1, bSynAck.AckNo);
        Assert.Equal(TcpConnection.OfferedScale, bSynAck.H.WindowScale);
        w.ToA(bSyn);
        Assert.Equal(TcpState.SynReceived, w.A.State);
        Assert.Equal(Syn | Ack, Assert.Single(w.FromA).H.Flags);
        w.Pump();

        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal(TcpState.Established, b.State);
        Assert.DoesNotContain(w.SentByA.Concat(w.SentByB), s => s.Has(Rst));
        w.A.Write("ping"u8, w.Now);
        b.Write("pong"u8, w.Now);
        w.Pump();
        Assert.Equal("pong", Encoding.ASCII.GetString(ReadAll(w.A, w.Now)));
        Assert.Equal("ping", Encoding.ASCII.GetString(ReadAll(b, w.Now)));
    }

    // ---- 11. RST and SYN in each state -------------------------------------------------------

    [Fact]
    public void Reset_InSynSent_WithAcceptableAck_ConnectionRefused()
    {
        var c = new Lone();
        c.C.OpenActive(IssA, c.Now);
        c.Sent.Clear();
        c.In(0, IssA + 1, Rst | Ack, 0);

        Assert.Equal(TcpState.Closed, c.C.State);
        Assert.Equal(Errno.ECONNREFUSED, c.C.Error);
        Assert.Equal(0ul, c.C.NextDeadline);
        Assert.Empty(c.Sent);
        Assert.Equal(Errno.ECONNREFUSED, c.C.TakeError());
        Assert.Equal(0, c.C.TakeError());
        Assert.Equal(-Errno.EPIPE, c.C.Write("x"u8, c.Now));
    }

    [Fact]
    public void Reset_InSynSent_WithoutAcceptableAck_Ignored()
    {
        var c = new Lone();
        c.C.OpenActive(IssA, c.Now);
        c.Sent.Clear();

        c.In(0, IssA + 5, Rst | Ack, 0); // acknowledges something never sent
        c.In(7, 0, Rst, 0); // no ACK at all
        Assert.Equal(TcpState.SynSent, c.C.State);
        Assert.Empty(c.Sent);

        // A bare ACK for something never sent draws <SEQ=SEG.ACK><CTL=RST>.
        c.In(7, IssA + 5, Ack, 0);
        Assert.Equal(TcpState.SynSent, c.C.State);
        Seg rst = Assert.Single(c.Sent);
        Assert.Equal(Rst, rst.H.Flags);
        Assert.Equal(IssA + 5, rst.Seq);
    }

    [Fact]
    public void Reset_InEstablished_AtRcvNxt_ConnectionReset()
    {
        var c = new Lone();
        c.Establish();
        c.In(IssB + 1, 0, Rst, 0);

        Assert.Equal(TcpState.Closed, c.C.State);
        Assert.Equal(Errno.ECONNRESET, c.C.Error);
        Assert.Empty(c.Sent);
        Assert.Equal(0ul, c.C.NextDeadline);
    }

    [Fact]
    public void Reset_InWindowButNotAtRcvNxt_ChallengeAck_NoReset()
    {
        var c = new Lone();
        c.Establish();
        c.In(IssB + 1 + 100, 0, Rst, 0);

        // RFC 5961 3.2: a challenge ACK, the connection untouched.
        Assert.Equal(TcpState.Established, c.C.State);
        Assert.Equal(0, c.C.Error);
        Seg ack = Assert.Single(c.Sent);
        Assert.Equal(Ack, ack.H.Flags);
        Assert.Equal(IssA + 1, ack.Seq);
        Assert.Equal(IssB + 1, ack.AckNo);

        // A genuine peer answers with an RST at the sequence the ACK named.
        c.In(ack.AckNo, 0, Rst, 0);
        Assert.Equal(TcpState.Closed, c.C.State);
        Assert.Equal(Errno.ECONNRESET, c.C.Error);
    }

    [Fact]
    public void Reset_OutsideTheWindow_SilentlyDropped()
    {
        var c = new Lone();
        c.Establish();
        c.In(IssB + 1 + 200_000, 0, Rst, 0); // beyond the 64 KiB window
        c.In(IssB, 0, Rst, 0); // before RCV.NXT

        // RFC 5961 3.2 rule 1, RFC 9293 3.10.7.4: an unacceptable RST is dropped, unanswered.
        Assert.Equal(TcpState.Established, c.C.State);
        Assert.Equal(0, c.C.Error);
        Assert.Empty(c.Sent);
    }

    [Fact]
    public void Reset_InCloseWait_Epipe()
    {
        var c = new Lone();
        c.Establish();
        c.In(IssB + 1, IssA + 1, Fin | Ack);
        Assert.Equal(TcpState.CloseWait, c.C.State);
        c.In(IssB + 2, 0, Rst, 0);

        Assert.Equal(TcpState.Closed, c.C.State);
        Assert.Equal(Errno.EPIPE, c.C.Error);
    }

    [Fact]
    public void Reset_InLastAck_ClosedWithoutError()
    {
        var c = new Lone();
        c.Establish();
        c.In(IssB + 1, IssA + 1, Fin | Ack);
        c.C.Finish(c.Now);
        Assert.Equal(TcpState.LastAck, c.C.State);
        c.In(IssB + 2, 0, Rst, 0);

        Assert.Equal(TcpState.Closed, c.C.State);
        Assert.Equal(0, c.C.Error);
        Assert.Equal(0ul, c.C.NextDeadline);
    }

    [Fact]
    public void Reset_InTimeWait_ClosedWithoutError()
    {
        var c = new Lone();
        c.Establish();
        c.C.Finish(c.Now);
        c.In(IssB + 1, IssA + 2, Ack);
        Assert.Equal(TcpState.FinWait2, c.C.State);
        c.In(IssB + 1, IssA + 2, Fin | Ack);
        Assert.Equal(TcpState.TimeWait, c.C.State);
        c.In(IssB + 2, 0, Rst, 0);

        Assert.Equal(TcpState.Closed, c.C.State);
        Assert.Equal(0, c.C.Error);
        Assert.Equal(0ul, c.C.NextDeadline);
    }

    [Fact]
    public void Reset_InFinWait2_ConnectionReset()
    {
        var c = new Lone();
        c.Establish();
        c.C.Finish(c.Now);
        c.In(IssB + 1, IssA + 2, Ack);
        Assert.Equal(TcpState.FinWait2, c.C.State);
        c.In(IssB + 1, 0, Rst, 0);

        Assert.Equal(TcpState.Closed, c.C.State);
        Assert.Equal(Errno.ECONNRESET, c.C.Error);
    }

    [Fact]
    public void Reset_InSynReceived_Closed()
    {
        var c = new Lone();
        c.C.OpenPassive(new TcpHeader(PortB, PortA, IssB, 0, Syn, 65535, 1000, 7), IssA, c.Now);
        c.Sent.Clear();
        c.In(IssB + 1, 0, Rst, 0);

        Assert.Equal(TcpState.Closed, c.C.State);
        Assert.Equal(0ul, c.C.NextDeadline);
        Assert.Empty(c.Sent);
    }

    [Fact]
    public void Syn_InEstablished_ChallengeAck_StateUnchanged()
    {
        var c = new Lone();
        c.Establish();
        c.In(IssB + 1 + 10, 0, Syn, 8192, mss: 1460, windowScale: 7); // in the window

        Assert.Equal(TcpState.Established, c.C.State);
        Seg ack = Assert.Single(c.Sent);
        Assert.Equal(Ack, ack.H.Flags);
        Assert.Equal(IssA + 1, ack.Seq);
        Assert.Equal(IssB + 1, ack.AckNo);

        c.Sent.Clear();
        c.In(IssB, 0, Syn, 8192, mss: 1460, windowScale: 7); // the old SYN again, before the window
        Assert.Equal(TcpState.Established, c.C.State);
        Assert.Equal(Ack, Assert.Single(c.Sent).H.Flags);
        Assert.Equal(0, c.C.Error);
    }

    [Fact]
    public void SynReceived_UnacceptableAck_AnsweredWithReset()
    {
        var c = new Lone();
        c.C.OpenPassive(new TcpHeader(PortB, PortA, IssB, 0, Syn, 65535, 1000, 7), IssA, c.Now);
        c.Sent.Clear();

        c.In(IssB + 1, IssA + 7, Ack);
        Assert.Equal(TcpState.SynReceived, c.C.State);
        Seg rst = Assert.Single(c.Sent);
        Assert.Equal(Rst, rst.H.Flags);
        Assert.Equal(IssA + 7, rst.Seq);

        c.In(IssB + 1, IssA + 1, Ack);
        Assert.Equal(TcpState.Established, c.C.State);
    }

    // ---- 12, 13. Abort, data for a closed socket ---------------------------------------------

    [Fact]
    public void Abort_SendsRst_PeerClosedWithConnReset()
    {
        var w = new Wire();
        w.Connect();
        w.A.Write("abc"u8, w.Now);
        w.Pump();

        w.A.Abort();
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(0, w.A.Error);
        Assert.Equal(0ul, w.A.NextDeadline);
        Seg rst = Assert.Single(w.FromA);
        Assert.True(rst.Has(Rst));
        Assert.Equal(IssA + 4, rst.Seq);
        w.Pump();

        Assert.Equal(TcpState.Closed, w.Bc.State);
        Assert.Equal(Errno.ECONNRESET, w.Bc.TakeError());
        Assert.Equal(0, w.Bc.TakeError());
        Assert.DoesNotContain(w.SentByB, s => s.Has(Rst));
    }

    [Fact]
    public void ReceiveClosed_DataArrives_ResetsTheConnection()
    {
        var w = new Wire();
        w.Connect();
        w.Bc.Orphan(w.Now);
        w.A.Write("too late"u8, w.Now);
        w.Pump();

        Assert.Equal(TcpState.Closed, w.Bc.State);
        Seg rst = Assert.Single(w.SentByB, s => s.Has(Rst));
        Assert.Equal(IssB + 1, rst.Seq);
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(Errno.ECONNRESET, w.A.Error);
    }

    // ---- 14. Nagle -----------------------------------------------------------------------

    [Fact]
    public void Nagle_SecondSmallWrite_HeldUntilTheFirstIsAcknowledged()
    {
        var w = new Wire();
        w.Connect();
        w.A.Write("first"u8, w.Now);
        Assert.Single(w.FromA);
        w.A.Write("second"u8, w.Now);
        Assert.Single(w.FromA); // held: a small segment while data is unacknowledged (RFC 896)

        w.ToB(w.TakeFromA());
        Assert.Empty(w.FromA);
        w.ToA(w.TakeFromB()); // the ACK releases it
        Seg second = Assert.Single(w.FromA);
        Assert.Equal("second", Encoding.ASCII.GetString(second.Data));
        w.Pump();
        Assert.Equal("firstsecond", Encoding.ASCII.GetString(ReadAll(w.Bc, w.Now)));
    }

    [Fact]
    public void NoDelay_SecondSmallWrite_SentAtOnce()
    {
        var w = new Wire();
        w.Connect();
        w.A.NoDelay = true;
        w.A.Write("first"u8, w.Now);
        w.A.Write("second"u8, w.Now);

        Assert.Equal(2, w.FromA.Count);
        Assert.Equal("second", Encoding.ASCII.GetString(w.FromA[1].Data));
        Assert.Equal(IssA + 1 + 5, w.FromA[1].Seq);
        w.Pump();
        Assert.Equal("firstsecond", Encoding.ASCII.GetString(ReadAll(w.Bc, w.Now)));
    }

    // ---- 15. giving up --------------------------------------------------------------------

    [Fact]
    public void GiveUp_DataNeverAcknowledged_TimedOutAfterMaxRetries()
    {
        var w = new Wire();
        w.Connect();
        w.DropFromA = _ => true;
        w.A.Write(Pattern(100), w.Now);
        w.Pump();

        for (int i = 0; i < 100 && w.A.State != TcpState.Closed; i++)
        {
            Assert.True(w.AdvanceToDeadline());
            w.Pump();
        }

        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(Errno.ETIMEDOUT, w.A.Error);
        Assert.Equal(1 + TcpConnection.MaxRetries, w.DataSegmentsFromA);
        Assert.Equal(0ul, w.A.NextDeadline);
    }

    [Fact]
    public void GiveUp_SynNeverAnswered_TimedOutAfterMaxSynRetries()
    {
        var w = new Wire();
        w.DropFromA = _ => true;
        w.A.OpenActive(IssA, w.Now);
        w.Pump();

        var gaps = new List<ulong>();
        for (int i = 0; i < 100 && w.A.State != TcpState.Closed; i++)
        {
            ulong before = w.Now;
            Assert.True(w.AdvanceToDeadline());
            gaps.Add(w.Now - before);
            w.Pump();
        }

        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(Errno.ETIMEDOUT, w.A.Error);
        Assert.Equal(1 + TcpConnection.MaxSynRetries, w.SentByA.Count(s => s.Has(Syn)));
        Assert.Equal(TcpConnection.InitialRto, gaps[0]);
        for (int i = 1; i < gaps.Count; i++) Assert.Equal(2 * gaps[i - 1], gaps[i]);
    }

    // ---- 16. ResetFor ---------------------------------------------------------------------

    private const uint Here = 0x0A000001, There = 0x0A000002;

    [Fact]
    public void ResetFor_AckSegment_RstAtItsAck()
    {
        var h = new TcpHeader(PortA, PortB, 1234, 777, Ack | Psh, 100);
        byte[]? p = TcpConnection.ResetFor(h, 5, There, Here);

        Assert.NotNull(p);
        Seg rst = Parse(p, Here, There);
        Assert.Equal(Rst, rst.H.Flags);
        Assert.Equal(777u, rst.Seq);
        Assert.Equal(0u, rst.AckNo);
        Assert.Equal(PortB, rst.H.SourcePort);
        Assert.Equal(PortA, rst.H.DestinationPort);
        Assert.Empty(rst.Data);
    }

    [Fact]
    public void ResetFor_Syn_RstAckAfterIt()
    {
        byte[]? p = TcpConnection.ResetFor(new TcpHeader(PortA, PortB, 1234, 0, Syn, 100), 0, There, Here);
        Assert.NotNull(p);
        Seg rst = Parse(p, Here, There);
        Assert.Equal(Rst | Ack, rst.H.Flags);
        Assert.Equal(0u, rst.Seq);
        Assert.Equal(1235u, rst.AckNo);

        // A segment without ACK carrying data and FIN: acknowledged past all of it.
        Seg rst2 = Parse(TcpConnection.ResetFor(new TcpHeader(PortA, PortB, 1234, 0, Fin, 100), 10, There, Here)!, Here, There);
        Assert.Equal(1234u + 10 + 1, rst2.AckNo);
    }

    [Fact]
    public void ResetFor_Rst_Nothing()
    {
        Assert.Null(TcpConnection.ResetFor(new TcpHeader(PortA, PortB, 1234, 0, Rst, 0), 0, There, Here));
        Assert.Null(TcpConnection.ResetFor(new TcpHeader(PortA, PortB, 1234, 5, Rst | Ack, 0), 0, There, Here));
    }

    [Fact]
    public void ResetFor_SynToNoListener_RefusesTheConnect()
    {
        var w = new Wire();
        w.A.OpenActive(IssA, w.Now);
        Seg syn = w.TakeFromA();
        byte[]? p = TcpConnection.ResetFor(syn.H, syn.Data.Length, Lo, Lo);
        Assert.NotNull(p);
        Seg rst = Parse(p);
        w.ToA(rst);

        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(Errno.ECONNREFUSED, w.A.Error);
        Assert.Empty(w.FromA);
    }

    // ---- keepalive ----------------------------------------------------------------------------


    [Fact]
    public void Keepalive_AnIdleConnection_IsProbed_AndAnAnsweringPeerKeepsIt()
    {
        var w = new Wire();
        w.Connect();
        Assert.Equal(0UL, w.A.NextDeadline); // idle, keepalive off: no timer at all
        w.A.KeepAlive = true;
        w.A.KeepIdle = 10 * Second;
        w.A.KeepInterval = Second;
        w.A.KeepCount = 3;
        ulong start = w.Now;
        for (int i = 0; i < 5; i++)
        {
            ulong due = w.A.NextDeadline;
            Assert.True(due >= start + 10 * Second, "the first probe waits for the idle time");
            Assert.True(w.AdvanceToDeadline());
            Seg probe = Assert.Single(w.FromA);
            Assert.Empty(probe.Data);
            Assert.Equal(IssA, probe.Seq); // SND.UNA - 1: the peer must answer with an ACK
            w.Pump();
            Assert.Equal(TcpState.Established, w.A.State);
            start = w.Now;
        }
    }

    [Fact]
    public void Keepalive_UnansweredProbes_EndTheConnection_WithEtimedout()
    {
        var w = new Wire();
        w.Connect();
        w.A.KeepAlive = true;
        w.A.KeepIdle = 10 * Second;
        w.A.KeepInterval = Second;
        w.A.KeepCount = 3;
        w.DropFromA = _ => true; // B never hears the probes
        ulong start = w.Now;
        int probes = 0;
        while (w.A.State == TcpState.Established && w.AdvanceToDeadline())
        {
            probes += w.FromA.Count;
            w.Pump();
        }
        Assert.Equal(3, probes);
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(Errno.ETIMEDOUT, w.A.Error);
        Assert.Equal(start + 10 * Second + 3 * Second, w.Now); // idle, then KeepCount intervals
    }

    [Fact]
    public void FinWait2_OfAClosedSocket_EndsAfterTheFinTimeout()
    {
        var w = new Wire();
        w.Connect();
        w.A.Orphan(w.Now); // A's socket closed: a FIN_WAIT_2 orphan
        w.A.Finish(w.Now);
        w.Pump();
        Assert.Equal(TcpState.FinWait2, w.A.State); // B never closes its side
        Assert.Equal(w.Now + TcpConnection.FinTimeout, w.A.NextDeadline);
        Assert.True(w.AdvanceToDeadline());
        Assert.Equal(TcpState.Closed, w.A.State);
    }

    [Fact]
    public void FinWait2_OfAnOpenSocket_WaitsForThePeer()
    {
        var w = new Wire();
        w.Connect();
        w.A.Finish(w.Now); // shutdown(SHUT_WR): the socket still reads
        w.Pump();
        Assert.Equal(TcpState.FinWait2, w.A.State);
        Assert.Equal(0UL, w.A.NextDeadline);
    }
}

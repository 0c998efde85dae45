// LossyLink: a fake network device between the InetStack and itself, set as
// the stack's ILink before any socket exists. Carry (on the sender's CPU)
// only puts the packet on the wire; the device, run by the test driver outside
// every CPU (RunUntilQuiet, in place of ProcessWorld.Run's last step), takes
// packets off it one at a time, in an order Coyote chooses (RandomInteger, so
// a trace replays it):
//
//   - any packet on the wire may go next (reordering);
//   - it may be dropped (one step in eight, at most MaxDrops per run, so every
//     run ends), duplicated (one in eight, MaxDuplicates: delivered, a copy left
//     on the wire to come later), or delivered;
//   - instead, the earliest armed timer may fire early, racing the traffic (one
//     in eight, MaxEarlyTimers: an early RTO is a spurious retransmission and
//     counts against the connection's retries);
//   - when nothing is on the wire and every CPU is halted with no IPI pending
//     (nothing else can happen), the earliest armed timer fires; when none is
//     armed either, the run is over and the driver lets the world go quiescent.
//
// A delivery is posted to the stack (Defer: DeviceInput, whose deliveries to
// sockets are posted in turn), so no actor is ever re-entered. Packets a
// thread's send made (fromThread: the stack would have returned their
// deliveries to that thread) are delivered the same way, later: legal, as a
// device's received frames are. A duplicate shares its packet's array (the
// stack never writes a packet once sent). Not being lo, this link makes the
// stack checksum and verify every segment (InetStack.NeedsChecksums). A run
// dropped at its step bound ends the device too (World.Stopping). Every
// decision is logged (<NetLog>) so a kept trace's .log reads as the wire's
// history.
using System.Text;
using Kevlar.Coyote.Harness;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Runtime;

namespace Kevlar.Coyote.Mocks.Net;

public sealed class LossyLink : ILink
{
    private readonly World _world;
    private readonly IActorRuntime _runtime;
    private readonly InetStack _stack;
    private readonly FakeTimers _timers;
    private readonly List<byte[]> _wire = new();
    private int _drops, _duplicates, _early;

    public LossyLink(World world, InetStack stack, FakeTimers timers)
    {
        _world = world;
        _runtime = world.Runtime;
        _stack = stack;
        _timers = timers;
    }

    public int MaxDrops { get; init; } = 2;

    public int MaxDuplicates { get; init; } = 2;

    public int MaxEarlyTimers { get; init; } = 1;

    /// <summary>TCP port of the listener: a segment to any other port is for the client.</summary>
    public int ServerPort { get; init; }

    /// <summary>RST segments sent to the client's port (delivered or not: a lost RST was still sent).</summary>
    public int ResetsToClient { get; private set; }

    /// <summary>Packets put on the wire, delivered (duplicates included), dropped.</summary>
    public int Carried { get; private set; }

    public int Delivered { get; private set; }

    public int Dropped => _drops;

    /// <summary>On the sender's CPU: the packet goes on the wire, nothing more (a thread's send makes
    /// no deliveries itself: the device posts them later). Coyote runs one controlled thread at a
    /// time, so the wire's list needs no lock.</summary>
    public void Carry(InetStack stack, byte[] packet, System.Collections.Generic.List<InetStack.Delivery>? deliveries)
    {
        Carried++;
        if (IsResetToClient(packet))
        {
            ResetsToClient++;
        }
        _wire.Add(packet);
    }

    /// <summary>The driver's last act (after starting the CPUs and threads): runs the device
    /// until nothing is on the wire, no timer is armed and every CPU is halted, then hands the
    /// world to the quiescence check.</summary>
    public void RunUntilQuiet()
    {
        Func<bool> wake = () => _wire.Count > 0 || Idle() || _world.Stopping;
        while (true)
        {
            Hooks.PauseUntil(wake);
            if (_world.Stopping)
            {
                break; // the run reached its step bound and was dropped (or a bug ended it)
            }
            if (_wire.Count == 0)
            {
                // Nothing on the wire and nothing else can happen: time passes.
                if (!_timers.FireEarliest("idle"))
                {
                    break;
                }
                continue;
            }
            Step();
        }
        _world.DriverDone();
    }

    // Every CPU halted with no IPI pending: no message anywhere (a send to a halted CPU
    // leaves an IPI pending until it wakes).
    private bool Idle()
    {
        if (!_world.AllHalted())
        {
            return false;
        }
        for (int c = 0; c < _world.CpuCount; c++)
        {
            if (_world.IpiPending(c))
            {
                return false;
            }
        }
        return true;
    }

    private void Step()
    {
        int k = _wire.Count == 1 ? 0 : _runtime.RandomInteger(_wire.Count);
        int choice = _runtime.RandomInteger(8);
        if (choice == 0 && _early < MaxEarlyTimers && _timers.Pending > 0)
        {
            _early++;
            _timers.FireEarliest("early");
            return;
        }
        byte[] packet = _wire[k];
        if (choice == 1 && _drops < MaxDrops)
        {
            _drops++;
            _wire.RemoveAt(k);
            Log("drop", packet);
            return;
        }
        if (choice == 2 && _duplicates < MaxDuplicates)
        {
            _duplicates++;
            Log("duplicate", packet); // delivered now, the copy stays on the wire
        }
        else
        {
            _wire.RemoveAt(k);
        }
        Deliver(packet);
    }

    private void Deliver(byte[] packet)
    {
        Delivered++;
        Log("deliver", packet);
        InetStack stack = _stack;
        stack.Defer(() => stack.DeviceInput(packet));
    }

    private bool IsResetToClient(byte[] packet)
    {
        if (Ipv4Header.Parse(packet, out Ipv4Header ip) != PacketDrop.None || ip.Protocol != Ipv4Header.ProtocolTcp)
        {
            return false;
        }
        var segment = new ReadOnlySpan<byte>(packet, ip.HeaderLength, ip.TotalLength - ip.HeaderLength);
        return TcpHeader.Parse(segment, ip.Source, ip.Destination, out TcpHeader h) == PacketDrop.None
            && h.Has(TcpHeader.Rst) && h.DestinationPort != ServerPort;
    }

    private void Log(string what, byte[] packet) => _runtime.Logger.WriteLine("<NetLog> " + what + " " + Describe(packet) + " (" + _wire.Count + " on the wire)");

    /// <summary>"sport>dport SYN|ACK seq=.. ack=.. len=..", or the protocol for another packet.</summary>
    public static string Describe(byte[] packet)
    {
        if (Ipv4Header.Parse(packet, out Ipv4Header ip) != PacketDrop.None)
        {
            return "malformed packet";
        }
        if (ip.Protocol != Ipv4Header.ProtocolTcp)
        {
            return "ip protocol " + ip.Protocol;
        }
        var segment = new ReadOnlySpan<byte>(packet, ip.HeaderLength, ip.TotalLength - ip.HeaderLength);
        if (TcpHeader.Parse(segment, ip.Source, ip.Destination, out TcpHeader h) != PacketDrop.None)
        {
            return "bad tcp segment";
        }
        var flags = new StringBuilder();
        foreach ((byte bit, string name) in new[] { (TcpHeader.Syn, "SYN"), (TcpHeader.Fin, "FIN"), (TcpHeader.Rst, "RST"), (TcpHeader.Psh, "PSH"), (TcpHeader.Ack, "ACK") })
        {
            if (h.Has(bit))
            {
                flags.Append(flags.Length > 0 ? "|" : "").Append(name);
            }
        }
        return h.SourcePort + ">" + h.DestinationPort + " " + flags + " seq=" + h.Sequence + " ack=" + h.Acknowledgment
            + " win=" + h.Window + " len=" + (segment.Length - h.HeaderLength);
    }
}

// PacketDrop: why a received packet was dropped, one counter each in the
// stack (the reasons Linux counts in /proc/net/snmp's InHdrErrors,
// InCsumErrors, NoPorts, RcvbufErrors and the like).
namespace Kevlar.Net;

public enum PacketDrop
{
    None,
    /// <summary>Shorter than the header it claims to carry.</summary>
    Truncated,
    BadVersion,
    BadHeaderLength,
    /// <summary>A total or transport length that disagrees with the bytes present.</summary>
    BadLength,
    BadChecksum,
    /// <summary>A fragment that cannot be reassembled where it arrived (over lo).</summary>
    Fragment,
    /// <summary>A destination that is not this host's.</summary>
    NotForUs,
    /// <summary>A protocol no handler takes.</summary>
    UnknownProtocol,
    /// <summary>No socket bound to the destination port (answered with ICMP port unreachable).</summary>
    NoPort,
    /// <summary>The receiving socket's buffer was full.</summary>
    ReceiveBufferFull,
    /// <summary>An ICMP message this stack does not act on.</summary>
    IgnoredIcmp,
    /// <summary>A SYN for a listener whose queue (backlog + 1 connections) is full.</summary>
    ListenQueueFull,
    /// <summary>An Ethernet frame of a type the stack does not take (neither IPv4 nor ARP).</summary>
    UnknownEtherType,
    /// <summary>A malformed ARP packet, or one for another protocol or hardware.</summary>
    BadArp,
    /// <summary>An outgoing packet whose next hop never answered ARP (or whose queue was full).</summary>
    Unresolved,
    /// <summary>An outgoing packet with no route or whose device's transmit ring was full.</summary>
    TransmitFailed,
}

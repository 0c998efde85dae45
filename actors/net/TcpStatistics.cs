// TcpStatistics: the stack's TCP counters as /proc/net/snmp's "Tcp:" line
// shows them (RFC 1213's tcp group, Linux's names) — every connection of a
// stack adds to the one object, from any CPU (Interlocked), and /proc reads
// them as hints.
namespace Kevlar.Net;

public sealed class TcpStatistics
{
    public long ActiveOpens, PassiveOpens, AttemptFails, EstabResets, InSegs, OutSegs, RetransSegs, InErrs, OutRsts;
}

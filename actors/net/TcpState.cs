// TcpState: a connection's state (RFC 9293 3.3.2), numbered as Linux's
// include/net/tcp_states.h numbers them for /proc/net/tcp's "st" column.
namespace Kevlar.Net;

public enum TcpState
{
    Established = 1,
    SynSent = 2,
    SynReceived = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Closed = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
}

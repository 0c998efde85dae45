// DatagramRead: one datagram's read as a socket's actor takes it — asked with
// the reader's room, MSG_PEEK and the waiter to register when none is queued;
// filled with the bytes (cut to the room), the datagram's whole length
// (MSG_TRUNC's answer) and where it came from.
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets;

public sealed class DatagramRead
{
    public readonly byte[] Into;
    public bool Peek;
    public FileWaiter? Waiter;
    public int FullLength;
    public SocketAddress? Source;

    public DatagramRead(int room) => Into = new byte[room];
}

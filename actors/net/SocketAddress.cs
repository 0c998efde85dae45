// SocketAddress: a socket name as getsockname, getpeername, accept and
// recvfrom hand it back — its length as Linux reports it for its family, and
// its sockaddr bytes. UnixAddress (sockaddr_un) and InetAddress (sockaddr_in)
// are the two families.
using System;

namespace Kevlar.Net;

public abstract class SocketAddress
{
    /// <summary>The sockaddr length reported for this address.</summary>
    public abstract int Length { get; }

    /// <summary>Writes the sockaddr into <paramref name="dest"/> (at least Length bytes).</summary>
    public abstract void Write(Span<byte> dest);
}

// PortView: a binding as PortTable publishes it for lookups on any CPU — its
// address, the peer a connect fixed, SO_REUSEPORT and its socket, copied
// when published and never changed (PortBinding itself is the owner's to
// change).
namespace Kevlar.Net;

public sealed class PortView<T> where T : class
{
    public readonly T Owner;
    public readonly uint Address, RemoteAddress;
    public readonly ushort Port, RemotePort;
    public readonly bool ReusePort;

    public PortView(PortBinding<T> b)
    {
        Owner = b.Owner;
        Address = b.Address;
        Port = b.Port;
        RemoteAddress = b.RemoteAddress;
        RemotePort = b.RemotePort;
        ReusePort = b.ReusePort;
    }

    /// <summary>compute_score: 0 when it does not match; higher for a bound address, higher still
    /// for a connected peer.</summary>
    public int Score(uint destination, int port, uint source, int sourcePort)
    {
        if (Port != port) return 0; // a bucket of connected bindings holds other ports' too
        int score = 1;
        if (Address != InetAddress.Any)
        {
            if (Address != destination) return 0;
            score += 4;
        }
        if (RemotePort != 0)
        {
            if (RemoteAddress != source || RemotePort != sourcePort) return 0;
            score += 8;
        }
        return score;
    }
}

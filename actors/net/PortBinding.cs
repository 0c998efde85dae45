// PortBinding: one socket's entry in a PortTable — its local address and
// port, the remote end a connect fixed (or none), and the options that decide
// whether another socket may share the port (SO_REUSEADDR, SO_REUSEPORT with
// the same owner uid, as Linux's udp_lib_lport_inuse and
// inet_csk_bind_conflict allow).
namespace Kevlar.Net;

public sealed class PortBinding<T> where T : class
{
    public readonly T Owner;
    public uint Address;
    public ushort Port;
    public uint RemoteAddress;
    public ushort RemotePort;
    public bool ReuseAddress, ReusePort;
    /// <summary>A TCP listener (SO_REUSEADDR does not share a port with one).</summary>
    public bool Listening;
    public uint Uid;

    public PortBinding(T owner) => Owner = owner;

    /// <summary>PortTable's: the index in its port's connected list (-1: unconnected or unbound),
    /// and the bucket its connected view is published in (-1: none).</summary>
    internal int ConnectedIndex = -1, PublishedBucket = -1;

    public bool Connected => RemotePort != 0;
}

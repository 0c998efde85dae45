// NetInterface: one network interface as SIOCGIF* ioctls, /proc/net/dev and
// netstat see it — name, index, flags (IFF_*), MTU, hardware type and
// address, its IPv4 address and prefix, and the packet and byte counters.
// lo is the one there is until virtio-net arrives: "lo", index 1,
// UP|LOOPBACK|RUNNING, MTU 65536, ARPHRD_LOOPBACK, 127.0.0.1/8.
//
// State: the flags are written by the stack's actor (SIOCSIFFLAGS goes
// there); the counters with Interlocked from the stack; everything is read
// from any CPU as a hint.
using System.Threading;

namespace Kevlar.Net;

public sealed class NetInterface
{
    public const int IFF_UP = 0x1, IFF_BROADCAST = 0x2, IFF_LOOPBACK = 0x8, IFF_RUNNING = 0x40, IFF_MULTICAST = 0x1000;
    /// <summary>ARPHRD_LOOPBACK, ARPHRD_ETHER.</summary>
    public const int HardwareLoopback = 772, HardwareEther = 1;

    public readonly string Name;
    public readonly int Index;
    public readonly int Mtu;
    public readonly int HardwareType;
    public readonly byte[] HardwareAddress;
    public readonly uint Address;
    public readonly int PrefixLength;
    private int _flags;
    private long _rxPackets, _rxBytes, _txPackets, _txBytes, _rxDropped;

    public NetInterface(string name, int index, int flags, int mtu, int hardwareType, byte[] hardwareAddress, uint address, int prefixLength)
    {
        Name = name;
        Index = index;
        _flags = flags;
        Mtu = mtu;
        HardwareType = hardwareType;
        HardwareAddress = hardwareAddress;
        Address = address;
        PrefixLength = prefixLength;
    }

    public static NetInterface NewLoopback()
        => new NetInterface("lo", 1, IFF_UP | IFF_LOOPBACK | IFF_RUNNING, 65536, HardwareLoopback, new byte[6], InetAddress.Loopback, 8);

    public int Flags => Volatile.Read(ref _flags);
    public bool Up => (Flags & IFF_UP) != 0;
    public uint Netmask => PrefixLength == 0 ? 0 : 0xFFFFFFFFu << (32 - PrefixLength);

    /// <summary>SIOCSIFFLAGS: the flags a user may change (IFF_UP and the like); RUNNING follows UP
    /// here, as lo's carrier is always there.</summary>
    public void SetFlags(int flags)
    {
        int kept = _flags & IFF_LOOPBACK;
        int up = flags & IFF_UP;
        Volatile.Write(ref _flags, kept | up | (up != 0 ? IFF_RUNNING : 0) | (flags & ~(IFF_UP | IFF_RUNNING | IFF_LOOPBACK) & 0xFFFF));
    }

    public void Sent(int bytes)
    {
        Interlocked.Increment(ref _txPackets);
        Interlocked.Add(ref _txBytes, bytes);
    }

    public void Received(int bytes)
    {
        Interlocked.Increment(ref _rxPackets);
        Interlocked.Add(ref _rxBytes, bytes);
    }

    public void Dropped() => Interlocked.Increment(ref _rxDropped);

    public long RxPackets => Volatile.Read(ref _rxPackets);
    public long RxBytes => Volatile.Read(ref _rxBytes);
    public long TxPackets => Volatile.Read(ref _txPackets);
    public long TxBytes => Volatile.Read(ref _txBytes);
    public long RxDropped => Volatile.Read(ref _rxDropped);
}

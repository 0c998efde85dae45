// NetInterface: one network interface as SIOCGIF* ioctls, /proc/net/dev and
// netstat see it — name, index, flags (IFF_*), MTU, hardware type and
// address, its IPv4 address and prefix, and the packet and byte counters.
// lo: "lo", index 1, UP|LOOPBACK|RUNNING, MTU 65536, ARPHRD_LOOPBACK,
// 127.0.0.1/8. An Ethernet device (eth0, index 2): BROADCAST|MULTICAST, up
// when configured, RUNNING while up with its carrier, ARPHRD_ETHER, its MAC,
// no address until one is given (ip=, SIOCSIFADDR).
//
// State: the flags and the address are written by the stack's actor
// (SIOCSIF* go there); the counters with Interlocked from any CPU; everything
// is read from any CPU as a hint (the address and prefix as one published
// pair).
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
    private long _address;   // the address in the low 32 bits, the prefix length above: one store publishes both
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
        _address = Pack(address, prefixLength);
    }

    private static long Pack(uint address, int prefixLength) => (long)address | (long)prefixLength << 32;

    /// <summary>The IPv4 address, 0 when it has none.</summary>
    public uint Address => (uint)Volatile.Read(ref _address);
    public int PrefixLength => (int)(Volatile.Read(ref _address) >> 32);

    /// <summary>SIOCSIFADDR/SIOCSIFNETMASK, ip=: the address and prefix (the stack's actor).</summary>
    public void SetAddress(uint address, int prefixLength) => Volatile.Write(ref _address, Pack(address, prefixLength));

    /// <summary>An Ethernet interface: down, no address, until configured.</summary>
    public static NetInterface NewEthernet(string name, int index, int mtu, byte[] hardwareAddress)
        => new NetInterface(name, index, IFF_BROADCAST | IFF_MULTICAST, mtu, HardwareEther, hardwareAddress, 0, 0);

    public bool IsLoopback => (Flags & IFF_LOOPBACK) != 0;

    /// <summary>The subnet's broadcast address (0 for lo and for no address).</summary>
    public uint BroadcastAddress
    {
        get
        {
            long a = Volatile.Read(ref _address);
            uint address = (uint)a;
            int prefix = (int)(a >> 32);
            if (IsLoopback || address == 0 || prefix >= 31) return 0;
            return address | ~MaskOf(prefix);
        }
    }

    /// <summary>Whether <paramref name="destination"/> is on this interface's subnet.</summary>
    public bool OnLink(uint destination)
    {
        long a = Volatile.Read(ref _address);
        uint address = (uint)a;
        int prefix = (int)(a >> 32);
        if (address == 0) return false;
        uint mask = MaskOf(prefix);
        return (destination & mask) == (address & mask);
    }

    public static NetInterface NewLoopback()
        => new NetInterface("lo", 1, IFF_UP | IFF_LOOPBACK | IFF_RUNNING, 65536, HardwareLoopback, new byte[6], InetAddress.Loopback, 8);

    public int Flags => Volatile.Read(ref _flags);
    public bool Up => (Flags & IFF_UP) != 0;
    public uint Netmask => MaskOf(PrefixLength);

    /// <summary>The netmask of a prefix length (0 for /0: a shift by 32 would not clear it).</summary>
    public static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0 : 0xFFFFFFFFu << (32 - prefixLength);

    /// <summary>SIOCSIFFLAGS: the flags a user may change (IFF_UP and the like); RUNNING follows UP
    /// and <paramref name="carrier"/> (lo's carrier is always there).</summary>
    public void SetFlags(int flags, bool carrier = true)
    {
        int kept = _flags & (IFF_LOOPBACK | IFF_BROADCAST);
        int up = flags & IFF_UP;
        Volatile.Write(ref _flags, kept | up | (up != 0 && carrier ? IFF_RUNNING : 0) | (flags & ~(IFF_UP | IFF_RUNNING | IFF_LOOPBACK | IFF_BROADCAST) & 0xFFFF));
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

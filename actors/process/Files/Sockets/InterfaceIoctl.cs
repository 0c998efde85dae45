// InterfaceIoctl: the network-device ioctls every socket answers (netdevice(7)),
// on the InetStack's interfaces. struct ifreq is 40 bytes: ifr_name[16]
// (IFNAMSIZ), then a 24-byte union read as ifr_addr (struct sockaddr),
// ifr_flags (short), ifr_ifindex, ifr_metric, ifr_mtu, ifr_qlen (int),
// ifr_hwaddr (sa_family + 14 bytes) or ifr_map. struct ifconf (SIOCGIFCONF)
// is 16 bytes: int ifc_len, 4 bytes of padding, the buffer pointer.
// An unknown interface is -ENODEV; the address ioctls (SIOCGIFADDR and
// friends) belong to AF_INET sockets (inet_ioctl): -ENOTTY on others, as
// Linux falls through to dev_ioctl; SIOCSIFFLAGS needs CAP_NET_ADMIN
// (-EPERM); a bad pointer is -EFAULT.
using System;
using System.Buffers.Binary;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets;

public static class InterfaceIoctl
{
    public const uint SIOCGIFNAME = 0x8910, SIOCGIFCONF = 0x8912, SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914,
        SIOCGIFADDR = 0x8915, SIOCGIFDSTADDR = 0x8917, SIOCGIFBRDADDR = 0x8919, SIOCGIFNETMASK = 0x891b,
        SIOCGIFMETRIC = 0x891d, SIOCGIFMTU = 0x8921, SIOCGIFHWADDR = 0x8927, SIOCGIFINDEX = 0x8933,
        SIOCGIFTXQLEN = 0x8942, SIOCGIFMAP = 0x8970, SIOCSIFADDR = 0x8916, SIOCSIFNETMASK = 0x891c;
    private const int IfreqSize = 40, NameSize = 16;
    /// <summary>The transmit queue length Linux gives lo (dev->tx_queue_len).</summary>
    private const int TxQueueLength = 1000;

    public static bool Handles(uint request) => request switch
    {
        SIOCGIFNAME or SIOCGIFCONF or SIOCGIFFLAGS or SIOCSIFFLAGS or SIOCGIFADDR or SIOCGIFDSTADDR or SIOCGIFBRDADDR
            or SIOCGIFNETMASK or SIOCGIFMETRIC or SIOCGIFMTU or SIOCGIFHWADDR or SIOCGIFINDEX or SIOCGIFTXQLEN or SIOCGIFMAP
            or SIOCSIFADDR or SIOCSIFNETMASK => true,
        _ when RouteIoctl.Handles(request) => true,
        _ => false,
    };

    public static KernelTask<long> Run(UserThread t, SocketFile socket, uint request, ulong argument)
    {
        InetStack stack = t.Process.Host.Inet;
        Memory.UserMemory memory = t.Process.UserMemory;
        if (request == SIOCGIFCONF) return KernelTask<long>.FromResult(Conf(stack, memory, argument));
        if (RouteIoctl.Handles(request)) return RouteIoctl.Run(t, socket, request, argument);
        var ifr = new byte[IfreqSize];
        if (memory.Read(argument, ifr) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
        NetInterface? iface;
        if (request == SIOCGIFNAME)
        {
            iface = stack.InterfaceByIndex(BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(ifr, NameSize, 4)));
            if (iface == null) return KernelTask<long>.FromResult(-Errno.ENODEV);
            Array.Clear(ifr, 0, NameSize);
            for (int i = 0; i < iface.Name.Length; i++) ifr[i] = (byte)iface.Name[i];
            return KernelTask<long>.FromResult(memory.Write(argument, ifr) != 0 ? -Errno.EFAULT : 0);
        }
        bool address = request == SIOCGIFADDR || request == SIOCGIFDSTADDR || request == SIOCGIFBRDADDR || request == SIOCGIFNETMASK;
        bool setAddress = request == SIOCSIFADDR || request == SIOCSIFNETMASK;
        if ((address || setAddress) && socket.Family != SocketConstants.AF_INET) return KernelTask<long>.FromResult(-Errno.ENOTTY);
        iface = stack.Interface(Name(ifr));
        if (iface == null) return KernelTask<long>.FromResult(-Errno.ENODEV);
        if (setAddress) return SetAddress(t, stack, iface, request, ifr);
        // devinet_ioctl: an interface without an IPv4 address has none to tell.
        if (address && iface.Address == 0) return KernelTask<long>.FromResult(-Errno.EADDRNOTAVAIL);
        if (request == SIOCSIFFLAGS)
        {
            if (t.Process.Euid != 0) return KernelTask<long>.FromResult(-Errno.EPERM);
            int flags = (ushort)BinaryPrimitives.ReadInt16LittleEndian(new ReadOnlySpan<byte>(ifr, NameSize, 2));
            NetInterface target = iface;
            return stack.Run(t, () => stack.SetFlags(target, flags));
        }
        Span<byte> value = new Span<byte>(ifr, NameSize, IfreqSize - NameSize);
        value.Clear();
        switch (request)
        {
            case SIOCGIFFLAGS: BinaryPrimitives.WriteInt16LittleEndian(value, (short)iface.Flags); break;
            case SIOCGIFADDR: new InetAddress(iface.Address, 0).Write(value); break;
            case SIOCGIFDSTADDR: new InetAddress(iface.Address, 0).Write(value); break;
            case SIOCGIFBRDADDR: new InetAddress(iface.BroadcastAddress, 0).Write(value); break; // 0 for lo
            case SIOCGIFNETMASK: new InetAddress(iface.Netmask, 0).Write(value); break;
            case SIOCGIFMETRIC: break;
            case SIOCGIFMTU: BinaryPrimitives.WriteInt32LittleEndian(value, iface.Mtu); break;
            case SIOCGIFINDEX: BinaryPrimitives.WriteInt32LittleEndian(value, iface.Index); break;
            case SIOCGIFTXQLEN: BinaryPrimitives.WriteInt32LittleEndian(value, TxQueueLength); break;
            case SIOCGIFMAP: break;
            case SIOCGIFHWADDR:
                BinaryPrimitives.WriteUInt16LittleEndian(value, (ushort)iface.HardwareType);
                new ReadOnlySpan<byte>(iface.HardwareAddress).CopyTo(value.Slice(2));
                break;
        }
        return KernelTask<long>.FromResult(memory.Write(argument, ifr) != 0 ? -Errno.EFAULT : 0);
    }

    /// <summary>SIOCSIFADDR and SIOCSIFNETMASK (devinet_ioctl), for CAP_NET_ADMIN: a new address
    /// takes its class's netmask (inet_abc_len; 0.0.0.0 removes the address); a netmask must be
    /// contiguous (-EINVAL) and needs an address (-EADDRNOTAVAIL); an address that is not AF_INET
    /// is -EINVAL.</summary>
    private static KernelTask<long> SetAddress(UserThread t, InetStack stack, NetInterface iface, uint request, byte[] ifr)
    {
        if (t.Process.Euid != 0) return KernelTask<long>.FromResult(-Errno.EPERM);
        if (BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(ifr, NameSize, 2)) != SocketConstants.AF_INET)
            return KernelTask<long>.FromResult(-Errno.EINVAL);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(ifr, NameSize + 4, 4));
        if (request == SIOCSIFADDR) return stack.Run(t, () => stack.SetAddress(iface, value, ClassfulPrefix(value)));
        int prefix = IpParameter.PrefixOf(value);
        if (prefix < 0) return KernelTask<long>.FromResult(-Errno.EINVAL);
        return stack.Run(t, () => iface.Address == 0 ? -Errno.EADDRNOTAVAIL : stack.SetAddress(iface, iface.Address, prefix));
    }

    /// <summary>inet_abc_len: the prefix of an address's class (A /8, B /16, C /24, else /32; 0.0.0.0: 0).</summary>
    private static int ClassfulPrefix(uint address)
    {
        if (address == 0) return 0;
        if (address >> 31 == 0) return 8;
        if (address >> 30 == 2) return 16;
        if (address >> 29 == 6) return 24;
        return 32;
    }

    /// <summary>ifr_name, cut at its NUL (at most IFNAMSIZ - 1 characters, as Linux terminates it).</summary>
    private static string Name(byte[] ifr)
    {
        int n = 0;
        while (n < NameSize - 1 && ifr[n] != 0) n++;
        var chars = new char[n];
        for (int i = 0; i < n; i++) chars[i] = (char)ifr[i];
        return new string(chars);
    }


    /// <summary>SIOCGIFCONF (dev_ifconf, inet_gifconf): one ifreq (name, AF_INET address) per
    /// interface address; a null buffer asks only for the length needed.</summary>
    private static long Conf(InetStack stack, Memory.UserMemory memory, ulong argument)
    {
        var conf = new byte[16];
        if (memory.Read(argument, conf) != 0) return -Errno.EFAULT;
        int room = BinaryPrimitives.ReadInt32LittleEndian(conf);
        ulong buffer = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(conf, 8, 8));
        NetInterface[] all = stack.Interfaces;
        int used = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (buffer == 0)
            {
                used += IfreqSize;
                continue;
            }
            if (room - used < IfreqSize) break;
            var ifr = new byte[IfreqSize];
            for (int c = 0; c < all[i].Name.Length; c++) ifr[c] = (byte)all[i].Name[c];
            new InetAddress(all[i].Address, 0).Write(new Span<byte>(ifr, NameSize, InetAddress.Size));
            if (memory.Write(buffer + (ulong)used, ifr) != 0) return -Errno.EFAULT;
            used += IfreqSize;
        }
        return memory.WriteInt32(argument, used) != 0 ? -Errno.EFAULT : 0;
    }
}

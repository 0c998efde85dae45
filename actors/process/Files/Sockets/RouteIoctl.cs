// RouteIoctl: SIOCADDRT and SIOCDELRT (ip_rt_ioctl), the routing ioctls
// BusyBox's route uses, on AF_INET sockets. struct rtentry on x86_64 is 120
// bytes: rt_pad1 (8), rt_dst at 8, rt_gateway at 24, rt_genmask at 40 (struct
// sockaddr each), rt_flags (u16) at 56, rt_metric at 80, rt_dev (char *) at
// 88, then rt_mtu, rt_window, rt_irtt. The table here holds the routes each
// interface's address implies and one default route, so the default route
// (destination and genmask 0.0.0.0, RTF_GATEWAY) is what these change; any
// other route is -EOPNOTSUPP (not kept yet). CAP_NET_ADMIN or -EPERM.
using System;
using System.Buffers.Binary;
using Kevlar.Net;
using Kevlar.Process.Files.Sockets.Inet;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files.Sockets;

public static class RouteIoctl
{
    public const uint SIOCADDRT = 0x890B, SIOCDELRT = 0x890C;
    private const int RtentrySize = 120, Destination = 8, Gateway = 24, Genmask = 40, Flags = 56;
    private const int RTF_UP = 0x1, RTF_GATEWAY = 0x2;

    public static bool Handles(uint request) => request == SIOCADDRT || request == SIOCDELRT;

    public static KernelTask<long> Run(UserThread t, SocketFile socket, uint request, ulong argument)
    {
        if (socket.Family != SocketConstants.AF_INET) return KernelTask<long>.FromResult(-Errno.ENOTTY);
        if (t.Process.Euid != 0) return KernelTask<long>.FromResult(-Errno.EPERM);
        var rt = new byte[RtentrySize];
        if (t.Process.UserMemory.Read(argument, rt) != 0) return KernelTask<long>.FromResult(-Errno.EFAULT);
        uint destination = Address(rt, Destination), gateway = Address(rt, Gateway), mask = Address(rt, Genmask);
        int flags = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(rt, Flags, 2));
        if (destination != 0 || mask != 0) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        InetStack stack = t.Process.Host.Inet;
        if (request == SIOCDELRT) return stack.Run(t, () => stack.DeleteDefaultRoute((flags & RTF_GATEWAY) != 0 ? gateway : 0));
        if ((flags & RTF_GATEWAY) == 0 || gateway == 0) return KernelTask<long>.FromResult(-Errno.EOPNOTSUPP);
        return stack.Run(t, () => stack.AddDefaultRoute(gateway));
    }

    private static uint Address(byte[] rt, int at) => BinaryPrimitives.ReadUInt32BigEndian(new ReadOnlySpan<byte>(rt, at + 4, 4));
}

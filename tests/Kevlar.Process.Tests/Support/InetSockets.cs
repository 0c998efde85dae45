// InetSockets: what the AF_INET socket tests share — making a socket on a
// process's CPU, and a sockaddr_in written into its memory.
using Kevlar.Net;
using Kevlar.Process.Syscalls;

namespace Kevlar.Process.Tests.Support;

public static class InetSockets
{
    /// <summary>socket(AF_INET, <paramref name="type"/>, 0) by <paramref name="p"/>'s main thread: the fd.</summary>
    public static int Create(ProcessHarness k, UserProcess p, int type)
        => (int)k.OnCpu(p.MainThread.Home, () => SocketCreate.DoSocket(p.MainThread, SocketConstants.AF_INET, type, 0));

    /// <summary>Writes a sockaddr_in for <paramref name="address"/>:<paramref name="port"/> at
    /// <paramref name="at"/>: its length.</summary>
    public static ulong PutAddress(UserProcess p, ulong at, uint address, int port)
    {
        var b = new byte[InetAddress.Size];
        new InetAddress(address, (ushort)port).Write(b);
        ProcessHarness.Put(p, at, b);
        return InetAddress.Size;
    }
}

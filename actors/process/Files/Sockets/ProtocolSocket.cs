// ProtocolSocket: a socket actor whose file's calls all go to it alone —
// every AF_INET socket and the netlink socket (an AF_UNIX socket also asks
// its peer, so it is not one). Its file (ProtocolSocketFile) runs poll,
// FIONREAD, the options and the last close as one request each to these.
using System;
using System.Threading;

namespace Kevlar.Process.Files.Sockets;

public abstract class ProtocolSocket : SocketActor
{
    /// <summary>The socket's poll events; registers <paramref name="waiter"/> when none of
    /// <paramref name="events"/> holds.</summary>
    internal abstract int Poll(int events, FileWaiter? waiter);

    /// <summary>FIONREAD's answer, or -errno.</summary>
    internal abstract long InboundBytes();

    /// <summary>getsockopt at any level: the value's length, or -errno (-ENOPROTOOPT for a level or
    /// option the socket does not have).</summary>
    internal abstract long GetOption(int level, int name, Span<byte> value);

    /// <summary>setsockopt at any level: 0 or -errno.</summary>
    internal abstract long SetOption(int level, int name, ReadOnlySpan<byte> value);

    /// <summary>The last fd closed.</summary>
    internal abstract void Close();

    private int _closing;

    /// <summary>The last fd is closed (set on the closing thread, before Close reaches this actor): the
    /// stack treats a UDP port as free at once, as Linux's close frees it; read from any CPU.</summary>
    public bool ClosingHint => Volatile.Read(ref _closing) != 0;

    internal void MarkClosing() => Volatile.Write(ref _closing, 1);
}

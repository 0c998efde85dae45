// UnixSocket's options (socket(7), unix(7)) at level SOL_SOCKET, read and
// written on the socket's actor: this socket's own (SO_TYPE, SO_ERROR,
// SO_PASSCRED, SO_PEERCRED...), the rest in SocketOptions (actors/net).
using System;
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets;

public sealed partial class UnixSocket
{
    /// <summary>getsockopt: the option's bytes in <paramref name="value"/> (at most 16), their length,
    /// or -ENOPROTOOPT.</summary>
    internal long GetOption(int name, Span<byte> value)
    {
        int v;
        switch (name)
        {
            case SocketConstants.SO_TYPE: v = Type; break;
            case SocketConstants.SO_DOMAIN: v = SocketConstants.AF_UNIX; break;
            case SocketConstants.SO_PROTOCOL: v = 0; break;
            case SocketConstants.SO_ERROR: v = TakeError(); break;
            case SocketConstants.SO_PASSCRED: v = _passCred ? 1 : 0; break;
            case SocketConstants.SO_ACCEPTCONN: v = _state == SocketState.Listening ? 1 : 0; break;
            case SocketConstants.SO_PEERCRED:
                _peerCredentials.Write(value);
                return UnixCredentials.Size;
            default:
                return Options.Get(name, value);
        }
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, v);
        return 4;
    }

    /// <summary>setsockopt with <paramref name="value"/> as given (its length is optlen): 0 or -errno
    /// (SocketOptions.Set).</summary>
    internal long SetOption(int name, ReadOnlySpan<byte> value)
    {
        if (name == SocketConstants.SO_PASSCRED)
        {
            if (value.Length < 4) return -Errno.EINVAL;
            _passCred = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value) != 0;
            return 0;
        }
        long r = Options.Set(name, value);
        if (r == 0 && name == SocketConstants.SO_SNDBUF) OutputChanged();
        return r;
    }
}

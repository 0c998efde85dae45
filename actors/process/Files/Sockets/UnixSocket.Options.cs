// UnixSocket's options (socket(7), unix(7)) at level SOL_SOCKET, read and
// written on the socket's actor. Integer options take and give a C int;
// SO_PEERCRED gives a struct ucred (12 bytes); SO_RCVTIMEO/SO_SNDTIMEO a
// struct timeval (16 bytes); SO_LINGER a struct linger (8 bytes). Unknown
// options are -ENOPROTOOPT, as Linux's sock_getsockopt/sock_setsockopt answer.
using System;
using System.Buffers.Binary;
using Kevlar.Net;

namespace Kevlar.Process.Files.Sockets;

public sealed partial class UnixSocket
{
    // Flag options kept only to be reported back (bits by option number).
    private const int KeptFlags = (1 << SocketConstants.SO_DEBUG) | (1 << SocketConstants.SO_REUSEADDR)
        | (1 << SocketConstants.SO_DONTROUTE) | (1 << SocketConstants.SO_BROADCAST) | (1 << SocketConstants.SO_KEEPALIVE)
        | (1 << SocketConstants.SO_OOBINLINE) | (1 << SocketConstants.SO_REUSEPORT);

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
            case SocketConstants.SO_SNDBUF: v = _sndBuf; break;
            case SocketConstants.SO_RCVBUF: v = _rcvBuf; break;
            case SocketConstants.SO_PASSCRED: v = _passCred ? 1 : 0; break;
            case SocketConstants.SO_ACCEPTCONN: v = _state == SocketState.Listening ? 1 : 0; break;
            case SocketConstants.SO_RCVLOWAT: case SocketConstants.SO_SNDLOWAT: v = 1; break;
            case SocketConstants.SO_PEERCRED:
                _peerCredentials.Write(value);
                return UnixCredentials.Size;
            case SocketConstants.SO_RCVTIMEO: return WriteTimeval(value, _rcvTimeout);
            case SocketConstants.SO_SNDTIMEO: return WriteTimeval(value, _sndTimeout);
            case SocketConstants.SO_LINGER:
                BinaryPrimitives.WriteInt32LittleEndian(value, _lingerOn);
                BinaryPrimitives.WriteInt32LittleEndian(value.Slice(4), _lingerSeconds);
                return 8;
            default:
                if (name < 32 && (KeptFlags & (1 << name)) != 0)
                {
                    v = (_flagOptions >> name) & 1;
                    break;
                }
                return -Errno.ENOPROTOOPT;
        }
        BinaryPrimitives.WriteInt32LittleEndian(value, v);
        return 4;
    }

    /// <summary>setsockopt with <paramref name="value"/> as given (its length is optlen): 0, -EINVAL for
    /// a short value or a bad timeval, -EDOM for a timeval's microseconds out of range, -ENOPROTOOPT
    /// for an option that cannot be set.</summary>
    internal long SetOption(int name, ReadOnlySpan<byte> value)
    {
        if (name == SocketConstants.SO_RCVTIMEO || name == SocketConstants.SO_SNDTIMEO)
        {
            long r = ReadTimeval(value, out ulong ns);
            if (r != 0) return r;
            if (name == SocketConstants.SO_RCVTIMEO) System.Threading.Volatile.Write(ref _rcvTimeout, ns);
            else System.Threading.Volatile.Write(ref _sndTimeout, ns);
            return 0;
        }
        if (name == SocketConstants.SO_LINGER)
        {
            if (value.Length < 8) return -Errno.EINVAL;
            _lingerOn = BinaryPrimitives.ReadInt32LittleEndian(value) != 0 ? 1 : 0;
            _lingerSeconds = BinaryPrimitives.ReadInt32LittleEndian(value.Slice(4));
            return 0;
        }
        if (value.Length < 4) return -Errno.EINVAL;
        int v = BinaryPrimitives.ReadInt32LittleEndian(value);
        switch (name)
        {
            case SocketConstants.SO_SNDBUF:
                // sock_setsockopt: doubled (for bookkeeping), capped by wmem_max first, floored.
                System.Threading.Volatile.Write(ref _sndBuf, Math.Max(SocketConstants.MinSndBuf, 2 * (int)Math.Min((uint)v, (uint)SocketConstants.WmemMax)));
                OutputChanged();
                return 0;
            case SocketConstants.SO_RCVBUF:
                _rcvBuf = Math.Max(SocketConstants.MinRcvBuf, 2 * (int)Math.Min((uint)v, (uint)SocketConstants.RmemMax));
                return 0;
            case SocketConstants.SO_PASSCRED:
                _passCred = v != 0;
                return 0;
            case SocketConstants.SO_RCVLOWAT: case SocketConstants.SO_SNDLOWAT:
                return 0;
            default:
                if (name < 32 && name >= 0 && (KeptFlags & (1 << name)) != 0)
                {
                    _flagOptions = v != 0 ? _flagOptions | (1 << name) : _flagOptions & ~(1 << name);
                    return 0;
                }
                return -Errno.ENOPROTOOPT;
        }
    }

    // struct timeval: long tv_sec, long tv_usec (16 bytes).
    private static long WriteTimeval(Span<byte> value, ulong ns)
    {
        BinaryPrimitives.WriteInt64LittleEndian(value, (long)(ns / 1_000_000_000));
        BinaryPrimitives.WriteInt64LittleEndian(value.Slice(8), (long)(ns % 1_000_000_000 / 1000));
        return 16;
    }

    /// <summary>sock_set_timeout: -EINVAL when short, -EDOM for usec outside [0, 1000000); {0, 0} is
    /// no timeout (0 here); a negative time makes every wait time out at once (1 ns here).</summary>
    private static long ReadTimeval(ReadOnlySpan<byte> value, out ulong ns)
    {
        ns = 0;
        if (value.Length < 16) return -Errno.EINVAL;
        long sec = BinaryPrimitives.ReadInt64LittleEndian(value);
        long usec = BinaryPrimitives.ReadInt64LittleEndian(value.Slice(8));
        if (usec < 0 || usec >= 1_000_000) return -Errno.EDOM;
        if (sec < 0)
        {
            ns = 1;
            return 0;
        }
        if (sec > 1_000_000_000L) sec = 1_000_000_000L;
        ns = (ulong)sec * 1_000_000_000 + (ulong)usec * 1000;
        return 0;
    }
}

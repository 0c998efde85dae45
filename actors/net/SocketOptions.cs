// SocketOptions: the SOL_SOCKET options every family keeps alike (socket(7)):
// buffer sizes, timeouts, SO_LINGER and the flags kept only to be reported
// back. A socket answers its own options first (SO_TYPE, SO_ERROR,
// SO_PEERCRED...) and hands the rest here. Integer options take and give a C
// int; SO_RCVTIMEO/SO_SNDTIMEO a struct timeval (16 bytes); SO_LINGER a
// struct linger (8 bytes). Unknown options are -ENOPROTOOPT, as Linux's
// sock_getsockopt/sock_setsockopt answer.
//
// State: owned by the socket's actor; SendBuffer and the timeouts are also
// read from other CPUs as hints (Volatile).
using System;
using System.Buffers.Binary;
using System.Threading;

namespace Kevlar.Net;

public sealed class SocketOptions
{
    // Flag options kept only to be reported back (bits by option number).
    private const int KeptFlags = (1 << SocketConstants.SO_DEBUG) | (1 << SocketConstants.SO_REUSEADDR)
        | (1 << SocketConstants.SO_DONTROUTE) | (1 << SocketConstants.SO_BROADCAST) | (1 << SocketConstants.SO_KEEPALIVE)
        | (1 << SocketConstants.SO_OOBINLINE) | (1 << SocketConstants.SO_REUSEPORT);

    private int _sndBuf = SocketConstants.DefaultBuffer, _rcvBuf = SocketConstants.DefaultBuffer;
    private ulong _rcvTimeout, _sndTimeout;
    private int _flags;
    private int _lingerOn, _lingerSeconds;

    /// <summary>SO_SNDBUF (as stored: twice what was asked); read from any CPU as a hint.</summary>
    public int SendBuffer => Volatile.Read(ref _sndBuf);
    public int ReceiveBuffer => _rcvBuf;

    /// <summary>SO_RCVTIMEO / SO_SNDTIMEO in ns (0: none); read from any CPU as a hint.</summary>
    public ulong ReceiveTimeout => Volatile.Read(ref _rcvTimeout);
    public ulong SendTimeout => Volatile.Read(ref _sndTimeout);

    /// <summary>SO_LINGER as set: on, and the seconds.</summary>
    public bool LingerOn => _lingerOn != 0;
    public int LingerSeconds => _lingerSeconds;

    /// <summary>Takes every option of <paramref name="other"/> (an accepted socket inherits its listener's).</summary>
    public void CopyFrom(SocketOptions other)
    {
        _sndBuf = other._sndBuf;
        _rcvBuf = other._rcvBuf;
        _rcvTimeout = other._rcvTimeout;
        _sndTimeout = other._sndTimeout;
        _flags = other._flags;
        _lingerOn = other._lingerOn;
        _lingerSeconds = other._lingerSeconds;
    }

    /// <summary>Whether a kept flag option (SO_REUSEADDR, SO_REUSEPORT, SO_BROADCAST...) is on.</summary>
    public bool Flag(int name) => ((_flags >> name) & 1) != 0;

    /// <summary>getsockopt: the option's bytes in <paramref name="value"/> (at most 16), their length,
    /// or -ENOPROTOOPT.</summary>
    public long Get(int name, Span<byte> value)
    {
        int v;
        switch (name)
        {
            case SocketConstants.SO_SNDBUF: v = _sndBuf; break;
            case SocketConstants.SO_RCVBUF: v = _rcvBuf; break;
            case SocketConstants.SO_RCVLOWAT: case SocketConstants.SO_SNDLOWAT: v = 1; break;
            case SocketConstants.SO_RCVTIMEO: return WriteTimeval(value, _rcvTimeout);
            case SocketConstants.SO_SNDTIMEO: return WriteTimeval(value, _sndTimeout);
            case SocketConstants.SO_LINGER:
                BinaryPrimitives.WriteInt32LittleEndian(value, _lingerOn);
                BinaryPrimitives.WriteInt32LittleEndian(value.Slice(4), _lingerSeconds);
                return 8;
            default:
                if (name < 0 || name >= 32 || (KeptFlags & (1 << name)) == 0) return -Errno.ENOPROTOOPT;
                v = (_flags >> name) & 1;
                break;
        }
        BinaryPrimitives.WriteInt32LittleEndian(value, v);
        return 4;
    }

    /// <summary>setsockopt with <paramref name="value"/> as given (its length is optlen): 0, -EINVAL for
    /// a short value or a bad timeval, -EDOM for a timeval's microseconds out of range, -ENOPROTOOPT
    /// for an option that cannot be set.</summary>
    public long Set(int name, ReadOnlySpan<byte> value)
    {
        if (name == SocketConstants.SO_RCVTIMEO || name == SocketConstants.SO_SNDTIMEO)
        {
            long r = ReadTimeval(value, out ulong ns);
            if (r != 0) return r;
            if (name == SocketConstants.SO_RCVTIMEO) Volatile.Write(ref _rcvTimeout, ns);
            else Volatile.Write(ref _sndTimeout, ns);
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
                Volatile.Write(ref _sndBuf, Math.Max(SocketConstants.MinSndBuf, 2 * (int)Math.Min((uint)v, (uint)SocketConstants.WmemMax)));
                return 0;
            case SocketConstants.SO_RCVBUF:
                _rcvBuf = Math.Max(SocketConstants.MinRcvBuf, 2 * (int)Math.Min((uint)v, (uint)SocketConstants.RmemMax));
                return 0;
            case SocketConstants.SO_RCVLOWAT: case SocketConstants.SO_SNDLOWAT:
                return 0;
            default:
                if (name < 0 || name >= 32 || (KeptFlags & (1 << name)) == 0) return -Errno.ENOPROTOOPT;
                _flags = v != 0 ? _flags | (1 << name) : _flags & ~(1 << name);
                return 0;
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

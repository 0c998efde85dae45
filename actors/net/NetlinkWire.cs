// NetlinkWire: the rtnetlink wire format (netlink(7), rtnetlink(7)) — struct
// nlmsghdr (16 bytes: len, type, flags, seq, pid), the messages this kernel
// answers and sends, and route attributes (struct rtattr: u16 len, u16 type,
// the value, padded to 4 bytes). Builder appends messages to one reply
// buffer; Messages walks a request.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Kevlar.Net;

public static class NetlinkWire
{
    public const int HeaderLength = 16;
    public const int NETLINK_ROUTE = 0;
    // Message types.
    public const ushort NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3;
    public const ushort RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22,
        RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
    // Flags.
    public const ushort NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4, NLM_F_ROOT = 0x100, NLM_F_MATCH = 0x200, NLM_F_DUMP = 0x300;
    // Attributes.
    public const ushort IFLA_ADDRESS = 1, IFLA_BROADCAST = 2, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_QDISC = 6, IFLA_TXQLEN = 13,
        IFLA_OPERSTATE = 16, IFLA_LINKMODE = 17;
    public const ushort IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_BROADCAST = 4, IFA_CACHEINFO = 6, IFA_FLAGS = 8;
    /// <summary>IFF_LOWER_UP: the carrier is there (netlink's link flags carry it; SIOCGIFFLAGS's short cannot).</summary>
    public const uint IFF_LOWER_UP = 0x10000;
    public const ushort RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PREFSRC = 7, RTA_TABLE = 15;
    public const byte RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255, RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254,
        RTPROT_KERNEL = 2, RTPROT_BOOT = 3, RTN_UNICAST = 1, RTN_LOCAL = 2, RTN_BROADCAST = 3;
    public const int IFA_F_PERMANENT = 0x80;

    public static int Align(int n) => (n + 3) & ~3;

    /// <summary>One message of a request: its header fields and payload (after the header).</summary>
    public readonly struct Message
    {
        public readonly ushort Type, Flags;
        public readonly uint Sequence, Pid;
        public readonly byte[] Bytes;
        public readonly int Offset, Length;

        public Message(ushort type, ushort flags, uint sequence, uint pid, byte[] bytes, int offset, int length)
        {
            Type = type;
            Flags = flags;
            Sequence = sequence;
            Pid = pid;
            Bytes = bytes;
            Offset = offset;
            Length = length;
        }

        public ReadOnlySpan<byte> Payload => new ReadOnlySpan<byte>(Bytes, Offset + HeaderLength, Length - HeaderLength);
    }

    /// <summary>The messages in <paramref name="request"/> (netlink_rcv_skb): each at least a header
    /// long and within the buffer; the walk stops at the first malformed one.</summary>
    public static List<Message> Messages(byte[] request)
    {
        var list = new List<Message>();
        int at = 0;
        while (request.Length - at >= HeaderLength)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(request, at, 4));
            if (length < HeaderLength || length > request.Length - at) break;
            var h = new ReadOnlySpan<byte>(request, at, HeaderLength);
            list.Add(new Message(BinaryPrimitives.ReadUInt16LittleEndian(h.Slice(4)), BinaryPrimitives.ReadUInt16LittleEndian(h.Slice(6)),
                BinaryPrimitives.ReadUInt32LittleEndian(h.Slice(8)), BinaryPrimitives.ReadUInt32LittleEndian(h.Slice(12)), request, at, length));
            at += Align(length);
        }
        return list;
    }

    /// <summary>The 4-byte value of the first attribute of <paramref name="type"/> in
    /// <paramref name="attributes"/> (a message's payload after its fixed header), read big-endian
    /// as addresses are; false when it is missing or not 4 bytes.</summary>
    public static bool FindAddress(ReadOnlySpan<byte> attributes, ushort type, out uint value)
    {
        value = 0;
        int at = 0;
        while (attributes.Length - at >= 4)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(attributes.Slice(at));
            if (length < 4 || length > attributes.Length - at) return false;
            if ((BinaryPrimitives.ReadUInt16LittleEndian(attributes.Slice(at + 2)) & 0x3FFF) == type)
            {
                if (length != 8) return false;
                value = BinaryPrimitives.ReadUInt32BigEndian(attributes.Slice(at + 4));
                return true;
            }
            at += Align(length);
        }
        return false;
    }

    /// <summary>Appends messages and their attributes to a reply.</summary>
    public sealed class Builder
    {
        private byte[] _buffer = new byte[512];
        private int _length, _start;

        public int Length => _length;

        private void Room(int n)
        {
            if (_length + n <= _buffer.Length) return;
            int size = _buffer.Length;
            while (size < _length + n) size *= 2;
            var bigger = new byte[size];
            new ReadOnlySpan<byte>(_buffer, 0, _length).CopyTo(bigger);
            _buffer = bigger;
        }

        /// <summary>Starts a message; End sets its length.</summary>
        public void Begin(ushort type, ushort flags, uint sequence, uint pid)
        {
            Room(HeaderLength);
            _start = _length;
            var h = new Span<byte>(_buffer, _length, HeaderLength);
            h.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(4), type);
            BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(6), flags);
            BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(8), sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(12), pid);
            _length += HeaderLength;
        }

        /// <summary>Appends raw bytes (a family header), padded to 4.</summary>
        public Span<byte> Bytes(int n)
        {
            int padded = Align(n);
            Room(padded);
            var span = new Span<byte>(_buffer, _length, padded);
            span.Clear();
            _length += padded;
            return span.Slice(0, n);
        }

        public void Attribute(ushort type, ReadOnlySpan<byte> value)
        {
            Span<byte> a = Bytes(4 + value.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(4 + value.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(a.Slice(2), type);
            value.CopyTo(a.Slice(4));
        }

        public void AttributeU32(ushort type, uint value)
        {
            Span<byte> v = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(v, value);
            Attribute(type, v);
        }

        public void AttributeU8(ushort type, byte value)
        {
            Span<byte> v = stackalloc byte[1];
            v[0] = value;
            Attribute(type, v);
        }

        /// <summary>An IPv4 address in network order.</summary>
        public void AttributeAddress(ushort type, uint address)
        {
            Span<byte> v = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v, address);
            Attribute(type, v);
        }

        public void AttributeString(ushort type, string s)
        {
            Span<byte> v = stackalloc byte[s.Length + 1];
            for (int i = 0; i < s.Length; i++) v[i] = (byte)s[i];
            v[s.Length] = 0;
            Attribute(type, v);
        }

        public void End() => BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(_buffer, _start, 4), (uint)(_length - _start));

        /// <summary>NLMSG_ERROR carrying <paramref name="error"/> (0: an ACK) and the request's header.</summary>
        public void Error(in Message request, int error, uint pid)
        {
            Begin(NLMSG_ERROR, 0, request.Sequence, pid);
            Span<byte> e = Bytes(4 + HeaderLength);
            BinaryPrimitives.WriteInt32LittleEndian(e, error);
            new ReadOnlySpan<byte>(request.Bytes, request.Offset, HeaderLength).CopyTo(e.Slice(4));
            End();
        }

        /// <summary>NLMSG_DONE ending a dump (its payload an int 0).</summary>
        public void Done(uint sequence, uint pid)
        {
            Begin(NLMSG_DONE, NLM_F_MULTI, sequence, pid);
            Bytes(4);
            End();
        }

        public byte[] ToArray()
        {
            var r = new byte[_length];
            new ReadOnlySpan<byte>(_buffer, 0, _length).CopyTo(r);
            return r;
        }
    }
}

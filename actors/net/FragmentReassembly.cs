// FragmentReassembly: IPv4 datagrams put back together from their fragments
// (RFC 791 3.2, RFC 815), as Linux's ip_defrag keeps them: a queue per
// (source, destination, identification, protocol); each fragment's data is
// copied into place and its range recorded; the datagram is whole once the
// last fragment (MF clear) fixed its length and every byte before it came.
// Then its header is the first fragment's, with the total length, flags and
// offset and the checksum made anew. Overlapping fragments drop the whole
// queue (Linux does since 4.19: an overlap is an attack or a broken sender),
// and so does a datagram that would exceed 65535 bytes. At most MaxQueues
// datagrams and MaxBytes of data wait (ipfrag_high_thresh); a queue older
// than Timeout (ipfrag_time, 30 s) is dropped when the next fragment comes.
//
// State: owned by whoever feeds it (the stack calls it from its device's
// actor only: lo never carries fragments).
using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Kevlar.Net;

public sealed class FragmentReassembly
{
    public const ulong Timeout = 30_000_000_000UL;
    public const int MaxQueues = 64, MaxBytes = 4 << 20;
    private const int MaxDatagram = 65535;

    private sealed class Queue
    {
        public readonly uint Source, Destination;
        public readonly ushort Id;
        public readonly byte Protocol;
        public readonly ulong Started;
        public byte[] Data = new byte[1024];
        public readonly List<int> Starts = new List<int>(), Ends = new List<int>();
        public byte[]? FirstHeader;
        public int Total = -1;   // the data's length, known once the last fragment came
        public int Received;

        public Queue(in Ipv4Header ip, ulong started)
        {
            Source = ip.Source;
            Destination = ip.Destination;
            Id = ip.Identification;
            Protocol = ip.Protocol;
            Started = started;
        }

        public bool Holds(in Ipv4Header ip)
            => Source == ip.Source && Destination == ip.Destination && Id == ip.Identification && Protocol == ip.Protocol;
    }

    // Few at a time (MaxQueues): a list searched in order.
    private readonly List<Queue> _queues = new List<Queue>();
    private int _bytes;

    /// <summary>Fragments taken, datagrams completed, and fragments or queues given up (for
    /// /proc/net/snmp's ReasmReqds, ReasmOKs, ReasmFails).</summary>
    public long Requests, Completed, Failures;

    /// <summary>Datagrams waiting for fragments.</summary>
    public int Pending => _queues.Count;

    /// <summary>Takes the fragment <paramref name="packet"/> (parsed as <paramref name="ip"/>): the
    /// whole datagram once this fragment completes it, else null (kept, or dropped and counted).</summary>
    public byte[]? Add(byte[] packet, in Ipv4Header ip, ulong now)
    {
        Requests++;
        Expire(now);
        int offset = (ip.FlagsAndOffset & 0x1FFF) * 8, length = ip.TotalLength - ip.HeaderLength;
        bool last = (ip.FlagsAndOffset & 0x2000) == 0;
        int end = offset + length;
        Queue? q = Find(ip);
        if (q == null)
        {
            if (_queues.Count >= MaxQueues || _bytes + length > MaxBytes)
            {
                Failures++;
                return null;
            }
            q = new Queue(ip, now);
            _queues.Add(q);
        }
        // A fragment that is not the last must carry a multiple of 8 bytes (RFC 791); none may end past
        // the largest datagram, disagree with the known end, or overlap what came.
        if (end + ip.HeaderLength > MaxDatagram || (!last && (length % 8 != 0 || length == 0)) || (q.Total >= 0 && (end > q.Total || (last && end != q.Total)))
            || Overlaps(q, offset, end) || _bytes + length > MaxBytes)
        {
            Drop(q);
            return null;
        }
        if (last) q.Total = end;
        if (end > q.Data.Length)
        {
            var grown = new byte[Math.Min(MaxDatagram, Math.Max(end, q.Data.Length * 2))];
            Array.Copy(q.Data, 0, grown, 0, q.Data.Length);
            q.Data = grown;
        }
        Array.Copy(packet, ip.HeaderLength, q.Data, offset, length);
        q.Starts.Add(offset);
        q.Ends.Add(end);
        q.Received += length;
        _bytes += length;
        if (offset == 0)
        {
            q.FirstHeader = new byte[ip.HeaderLength];
            Array.Copy(packet, 0, q.FirstHeader, 0, ip.HeaderLength);
        }
        if (q.Total < 0 || q.Received != q.Total || q.FirstHeader == null) return null;
        _queues.Remove(q);
        _bytes -= q.Received;
        Completed++;
        int ihl = q.FirstHeader.Length;
        var whole = new byte[ihl + q.Total];
        Array.Copy(q.FirstHeader, 0, whole, 0, ihl);
        Array.Copy(q.Data, 0, whole, ihl, q.Total);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(whole, 2, 2), (ushort)whole.Length);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(whole, 6, 2), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(whole, 6, 2)) & 0x4000));
        whole[10] = whole[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(whole, 10, 2), InternetChecksum.Of(new ReadOnlySpan<byte>(whole, 0, ihl)));
        return whole;
    }

    private Queue? Find(in Ipv4Header ip)
    {
        for (int i = 0; i < _queues.Count; i++)
            if (_queues[i].Holds(ip)) return _queues[i];
        return null;
    }

    private static bool Overlaps(Queue q, int start, int end)
    {
        for (int i = 0; i < q.Starts.Count; i++)
            if (start < q.Ends[i] && q.Starts[i] < end) return true;
        return false;
    }

    private void Drop(Queue q)
    {
        _queues.Remove(q);
        _bytes -= q.Received;
        Failures++;
    }

    /// <summary>Drops every queue older than Timeout (ip_expire, done lazily here).</summary>
    private void Expire(ulong now)
    {
        for (int i = _queues.Count - 1; i >= 0; i--)
            if (now - _queues[i].Started > Timeout) Drop(_queues[i]);
    }
}

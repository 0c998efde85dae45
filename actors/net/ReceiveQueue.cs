// ReceiveQueue: a socket's queue of received records, and the two ways
// unix(7) reads it. A stream read (unix_stream_read_generic) copies across
// records, stopping after a record that carries files (their fds arrive with
// the bytes before them, never with later ones) and, when the reader passes
// credentials, before a record from other credentials (writers are never
// glued). A datagram or seqpacket read (unix_dgram_recvmsg) takes exactly one
// record and reports its whole length, so MSG_TRUNC can say what was cut.
// MSG_PEEK reads without consuming and without detaching files.
//
// State: owned by the socket's actor. A ring of records, oldest at _head.
// Invariants:
//   1. Bytes is the sum of the records' unread lengths; Count their number.
//   2. A stream record in the queue has Length > 0; a datagram may be empty.
//   3. Rights are handed out at most once (Rights set null as they go).
using System;

namespace Kevlar.Net;

public sealed class ReceiveQueue<TRights> where TRights : class
{
    private SocketRecord<TRights>?[] _ring = new SocketRecord<TRights>?[8];
    private int _head;

    public int Count { get; private set; }
    public int Bytes { get; private set; }

    /// <summary>The record <paramref name="i"/> places from the oldest.</summary>
    public SocketRecord<TRights> At(int i) => _ring[(_head + i) % _ring.Length]!;

    /// <summary>The oldest record, or null when empty.</summary>
    public SocketRecord<TRights>? First => Count == 0 ? null : At(0);

    public void Enqueue(SocketRecord<TRights> record)
    {
        if (Count == _ring.Length) Grow();
        _ring[(_head + Count) % _ring.Length] = record;
        Count++;
        Bytes += record.Length;
    }

    /// <summary>Removes the oldest record (its unread bytes leave Bytes).</summary>
    public SocketRecord<TRights> Dequeue()
    {
        SocketRecord<TRights> r = _ring[_head]!;
        _ring[_head] = null;
        _head = (_head + 1) % _ring.Length;
        Count--;
        Bytes -= r.Length;
        return r;
    }

    /// <summary>A stream read into <paramref name="dest"/>: the bytes copied. <paramref name="rights"/>
    /// gets the files of the last record read from, if it had any (detached unless
    /// <paramref name="peek"/>); <paramref name="credentials"/> and <paramref name="source"/> the first
    /// record's sender.</summary>
    public int ReadStream(Span<byte> dest, bool peek, bool checkCredentials, out TRights? rights, out UnixCredentials credentials, out UnixAddress? source)
    {
        rights = null;
        credentials = default;
        source = null;
        int copied = 0;
        for (int i = 0; i < Count && copied < dest.Length;)
        {
            SocketRecord<TRights> r = At(i);
            if (copied > 0 && checkCredentials && !r.Credentials.Equals(credentials)) break;
            if (copied == 0)
            {
                credentials = r.Credentials;
                source = r.Source;
            }
            int n = Math.Min(dest.Length - copied, r.Length);
            new ReadOnlySpan<byte>(r.Data, r.Offset, n).CopyTo(dest.Slice(copied));
            copied += n;
            TRights? files = r.Rights;
            if (peek) i++;
            else
            {
                r.Rights = null;
                r.Offset += n;
                r.Length -= n;
                Bytes -= n;
                if (r.Length == 0)
                {
                    RemoveFirst();
                }
            }
            if (files != null)
            {
                rights = files;
                break;
            }
        }
        return copied;
    }

    /// <summary>A datagram read of the oldest record into <paramref name="dest"/>: the record (null
    /// when empty); the bytes copied are min(dest.Length, record.Length). Unless
    /// <paramref name="peek"/>, the record leaves the queue and the caller owns its Rights.</summary>
    public SocketRecord<TRights>? ReadDatagram(Span<byte> dest, bool peek)
    {
        if (Count == 0) return null;
        SocketRecord<TRights> r = peek ? At(0) : Dequeue();
        int n = Math.Min(dest.Length, r.Length);
        new ReadOnlySpan<byte>(r.Data, r.Offset, n).CopyTo(dest);
        return r;
    }

    /// <summary>Empties the queue (the socket closed): each record goes to <paramref name="dropped"/>
    /// so the caller can release its files.</summary>
    public void Clear(Action<SocketRecord<TRights>> dropped)
    {
        while (Count > 0) dropped(Dequeue());
    }

    private void RemoveFirst()
    {
        _ring[_head] = null;
        _head = (_head + 1) % _ring.Length;
        Count--;
    }

    private void Grow()
    {
        var ring = new SocketRecord<TRights>?[_ring.Length * 2];
        for (int i = 0; i < Count; i++) ring[i] = At(i);
        _ring = ring;
        _head = 0;
    }
}

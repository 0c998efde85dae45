// ByteRing: a bounded FIFO of bytes — a TCP connection's send buffer (bytes
// from SND.UNA on: sent but unacknowledged, then unsent) and its receive
// buffer (bytes in order, not yet read). Peek copies from any offset without
// consuming, so a retransmission re-reads what it sent.
using System;

namespace Kevlar.Net;

public sealed class ByteRing
{
    private byte[] _buffer;
    private int _head;

    public ByteRing(int capacity)
    {
        Capacity = capacity;
        _buffer = new byte[Math.Max(1, Math.Min(capacity, 4096))];
    }

    /// <summary>The most the ring holds (it grows its array up to this as it fills).</summary>
    public int Capacity { get; set; }
    public int Count { get; private set; }
    public int Free => Math.Max(0, Capacity - Count);

    /// <summary>Appends as much of <paramref name="data"/> as fits: the count taken.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        int n = Math.Min(data.Length, Free);
        if (Count + n > _buffer.Length) Grow(Count + n);
        int tail = (_head + Count) % _buffer.Length;
        int first = Math.Min(n, _buffer.Length - tail);
        data.Slice(0, first).CopyTo(new Span<byte>(_buffer, tail, first));
        data.Slice(first, n - first).CopyTo(new Span<byte>(_buffer, 0, n - first));
        Count += n;
        return n;
    }

    /// <summary>Copies up to dest.Length bytes starting <paramref name="offset"/> bytes in, leaving them: the count.</summary>
    public int Peek(int offset, Span<byte> dest)
    {
        int n = Math.Max(0, Math.Min(dest.Length, Count - offset));
        int start = (_head + offset) % _buffer.Length;
        int first = Math.Min(n, _buffer.Length - start);
        new ReadOnlySpan<byte>(_buffer, start, first).CopyTo(dest);
        new ReadOnlySpan<byte>(_buffer, 0, n - first).CopyTo(dest.Slice(first));
        return n;
    }

    /// <summary>Empties the ring and gives back its storage (a connection that will not use it again).</summary>
    public void Release()
    {
        _buffer = new byte[1];
        _head = 0;
        Count = 0;
    }

    /// <summary>Drops the oldest <paramref name="n"/> bytes.</summary>
    public void Consume(int n)
    {
        n = Math.Min(n, Count);
        _head = (_head + n) % _buffer.Length;
        Count -= n;
        if (Count == 0) _head = 0;
    }

    /// <summary>Copies out and consumes up to dest.Length bytes: the count.</summary>
    public int Read(Span<byte> dest)
    {
        int n = Peek(0, dest);
        Consume(n);
        return n;
    }

    private void Grow(int need)
    {
        int size = _buffer.Length;
        while (size < need) size *= 2;
        var bigger = new byte[Math.Min(size, Math.Max(Capacity, need))];
        Peek(0, new Span<byte>(bigger, 0, Count));
        _buffer = bigger;
        _head = 0;
    }
}

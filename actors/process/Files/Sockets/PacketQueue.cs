// PacketQueue: the received datagrams of a socket whose datagrams arrive
// whole (raw, netlink) — oldest first, with their total length for the
// receive buffer's limit — and the read of one into a DatagramRead.
//
// State: the owning socket actor's.
using System;
using System.Collections.Generic;

namespace Kevlar.Process.Files.Sockets;

public sealed class PacketQueue
{
    private readonly Queue<byte[]> _packets = new Queue<byte[]>();

    public int Count => _packets.Count;

    /// <summary>The bytes queued (against SO_RCVBUF).</summary>
    public int Bytes { get; private set; }

    /// <summary>The oldest packet's length (FIONREAD), 0 when none.</summary>
    public int NextLength => _packets.Count == 0 ? 0 : _packets.Peek().Length;

    public void Add(byte[] packet)
    {
        _packets.Enqueue(packet);
        Bytes += packet.Length;
    }

    public void Clear()
    {
        _packets.Clear();
        Bytes = 0;
    }

    /// <summary>The read of the oldest packet (kept with into.Peek): as much as fits copied into
    /// into.Into, its whole length in FullLength; the count, -EAGAIN when empty without a waiter,
    /// else WouldBlock with the waiter added to <paramref name="readers"/>. The packet read, for its
    /// source, in <paramref name="packet"/>.</summary>
    public long Read(DatagramRead into, WaitQueue readers, out byte[]? packet)
    {
        packet = null;
        if (_packets.Count == 0)
        {
            if (into.Waiter == null) return -Errno.EAGAIN;
            readers.Add(into.Waiter);
            return FileRequest.WouldBlock;
        }
        packet = into.Peek ? _packets.Peek() : _packets.Dequeue();
        if (!into.Peek) Bytes -= packet.Length;
        int n = Math.Min(into.Into.Length, packet.Length);
        new ReadOnlySpan<byte>(packet, 0, n).CopyTo(into.Into);
        into.FullLength = packet.Length;
        return n;
    }
}

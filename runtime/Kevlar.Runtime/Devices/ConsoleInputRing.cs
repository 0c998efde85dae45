// ConsoleInputRing: the IConsoleInput behind both drivers — on metal the
// serial interrupt is the producer, on the host a test pushes bytes. A fixed
// single-producer, single-consumer ring of bytes plus a one-shot notification
// request; the producer side neither allocates nor takes a lock, so it may run
// in interrupt context wherever the interrupt was taken.
//
// State: _bytes[p & Mask] and _head are written only by the producer (one at a
// time: metal routes the IRQ to one CPU, which takes it with interrupts off);
// _tail only by the consumer; _head, _tail, _armed and _dropped are [Shared]
// (Atomic only); _target and _message by the consumer, before arming.
//
// Why a notification cannot be lost (the scheduler's sleep/wake argument):
//   consumer (NotifyWhenReadable)         producer (Put..., then NotifyIfRequested)
//   C1 target, message; _armed := 1       P1 _head := head + n (bytes written first)
//      (exchange: a full fence)           P2 full fence
//   C2 if _head != _tail: Fire            P3 if _head != _tail: Fire
// Fire sends only if its CAS of _armed from 1 to 0 wins, so at most one send
// per request. For none at all, P3 must have read _armed = 0 (else it fires),
// so C1 came after P2 in the fences' total order; then C2 reads P1's head and
// fires. A Take between P1 and P3 that empties the ring may make both skip: then
// nothing is waiting and nothing is owed.
using System;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Devices;

public sealed class ConsoleInputRing : IConsoleInput
{
    /// <summary>Bytes the ring holds; more are dropped until the consumer takes some.</summary>
    public const int Capacity = 4096;

    private const int Mask = Capacity - 1;

    private readonly byte[] _bytes = new byte[Capacity];
    [Shared] private int _head;       // producer: next byte to write (grows without bound; indexes modulo Capacity)
    [Shared] private int _tail;       // consumer: next byte to take
    [Shared] private int _armed;      // 1 from NotifyWhenReadable until the send
    private Actor? _target;  // consumer, before arming
    private Message? _message;
    [Shared] private long _dropped;   // producer

    public long Dropped => Atomic.Load(ref _dropped);

    // ---- Producer side ----

    /// <summary>Appends one received byte; false (and counted as dropped) when the ring is full.
    /// Call NotifyIfRequested after the last byte of a burst.</summary>
    public bool Put(byte b)
    {
        int head = Atomic.Load(ref _head);
        if (head - Atomic.Load(ref _tail) == Capacity)
        {
            Atomic.FetchAdd(ref _dropped, 1);
            return false;
        }
        _bytes[head & Mask] = b;
        Atomic.Store(ref _head, head + 1);
        return true;
    }

    /// <summary>Sends the requested notification if there is one and input is waiting.</summary>
    public void NotifyIfRequested()
    {
        Atomic.Fence();
        if (Atomic.Load(ref _armed) == 0) return;
        if (Atomic.Load(ref _head) == Atomic.Load(ref _tail)) return;
        Fire();
    }

    /// <summary>Puts every byte of <paramref name="bytes"/> and notifies (the host twin's way in);
    /// returns how many fitted.</summary>
    public int Push(ReadOnlySpan<byte> bytes)
    {
        int n = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (Put(bytes[i])) n++;
        }
        NotifyIfRequested();
        return n;
    }

    // ---- Consumer side ----

    public int Take(Span<byte> into)
    {
        int tail = Atomic.Load(ref _tail);
        int n = Math.Min(into.Length, Atomic.Load(ref _head) - tail);
        for (int i = 0; i < n; i++) into[i] = _bytes[(tail + i) & Mask];
        Atomic.Store(ref _tail, tail + n);
        return n;
    }

    public void NotifyWhenReadable(Actor target, Message message)
    {
        if (Atomic.Load(ref _armed) != 0)
        {
            Kassert.True(_target == target && _message == message,
                "ConsoleInputOneRequest: a second notification is requested while one is outstanding");
            return;
        }
        _target = target;
        _message = message;
        if (SeededBugs.ConsoleArmsAfterCheck)
        {
            // Seeded bug: looks for input, then arms without looking again.
            if (Atomic.Load(ref _head) != Atomic.Load(ref _tail))
            {
                target.Scheduler!.Send(target, message);
                return;
            }
            Atomic.Exchange(ref _armed, 1);
            return;
        }
        Atomic.Exchange(ref _armed, 1);
        if (Atomic.Load(ref _head) != Atomic.Load(ref _tail)) Fire();
    }

    // Whoever wins the request sends it. _target and _message are read after the
    // win; the consumer cannot replace them until it has received this message.
    private void Fire()
    {
        if (Atomic.CompareExchange(ref _armed, 0, 1) != 1) return;
        Actor target = _target!;
        Scheduler? scheduler = target.Scheduler;
        Kassert.True(scheduler != null, "ConsoleInputRegisteredTarget: the notification's target is not registered");
        scheduler!.Send(target, _message!);
    }
}

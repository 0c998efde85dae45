// IConsoleInput: bytes typed on the system console (the serial line's receiver
// on metal, pushed by hand on the host). Input arrives by interrupt into a
// fixed ring; its one consumer (the console's tty actor) learns of it by a
// message it asked for, and takes the bytes without waiting.
using System;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Devices;

public interface IConsoleInput
{
    /// <summary>Moves the bytes received since the last call into <paramref name="into"/>, oldest
    /// first, and returns how many (0 when there are none); never waits. Bytes that do not fit
    /// stay for the next call. One consumer at a time.</summary>
    int Take(Span<byte> into);

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> once, as soon as input
    /// is waiting — at once (from this call) if some already is. The request is used up by that
    /// one send: ask again for the next once the message has been delivered (in its handler,
    /// after Take) — a message is never sent twice while in flight. Asking again while a request is
    /// outstanding is allowed only with the same target and message (then it does nothing). The
    /// message must be pre-allocated: the send happens in interrupt context, which allocates
    /// nothing. Call from the consumer's handlers.</summary>
    void NotifyWhenReadable(Actor target, Message message);

    /// <summary>Bytes lost because the ring was full when they arrived (no consumer kept up).</summary>
    long Dropped { get; }
}

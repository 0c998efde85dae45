// FileOwner: an actor that owns the state behind open file descriptions — a
// pipe's buffer and its ends, a tty's line discipline. Threads reach it with
// FileRequest messages (see FileCall.cs); each request runs to completion in
// the owner's handler and its reply goes back as a WakeMessage to the thread.
//
// State: a subclass's fields are touched only in Execute and the owner's own
// handlers, on Home. Owners are never migrated, so a thread running on Home
// may call Execute inline (the owner cannot be inside another handler then).
// Waits: none — an owner replies at once; a request that cannot proceed
// registers a FileWaiter and answers FileRequest.WouldBlock.
// Owners whose requests are closures over their own methods (the VfsActor,
// eventfd, timerfd, epoll) use Run and Post(Func) instead of request classes.
using System;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files;

public abstract class FileOwner : Actor
{
    /// <summary>Hands <paramref name="m"/> to this owner from outside a request (a last close):
    /// handled at once when the caller runs on Home — so it cannot be overtaken by a request the
    /// caller makes next, which would also run inline — else sent, ordered with the caller's
    /// later requests.</summary>
    public void Post(Message m)
    {
        if (Home == Scheduler!.Platform.CurrentCpu) Receive(m);
        else Scheduler.Send(this, m);
    }

    /// <summary>True when <paramref name="t"/> runs on this owner's CPU, where it may call the
    /// owner's methods directly (one handler at a time there, and owners never migrate).</summary>
    public bool RunsHere(UserThread t) => Home == CpuOf(t);

    /// <summary>True when this owner's home is <paramref name="cpu"/>: RunsHere for a caller that
    /// read its CPU once for many owners (CpuOf), as poll does.</summary>
    public bool RunsOn(int cpu) => Home == cpu;

    /// <summary>The CPU <paramref name="t"/>'s handler runs on now (read again after an await: the
    /// thread may have moved meanwhile).</summary>
    public static int CpuOf(UserThread t) => t.Process.Host.Scheduler.Platform.CurrentCpu;

    /// <summary>Runs <paramref name="operation"/> on this owner's CPU for <paramref name="t"/>
    /// (inline there, a round trip elsewhere): its result — a count, a mask, -errno, or
    /// FileRequest.WouldBlock after it registered a FileWaiter.</summary>
    public KernelTask<long> Run(UserThread t, Func<long> operation)
        => RunsHere(t) ? KernelTask<long>.FromResult(operation()) : RunThere(t, operation);

    /// <summary>Run's round trip, for a caller that found this owner on another CPU.</summary>
    public KernelTask<long> RunThere(UserThread t, Func<long> operation) => FileCall.RoundTrip(t, this, new ClosureRequest(operation));

    /// <summary>Runs <paramref name="operation"/> on this owner's CPU without a reply (a last
    /// close): inline when already there, else as a message, as Post(Message).</summary>
    public void Post(Func<long> operation) => Post(new ClosurePost(operation));

    /// <summary>Runs <paramref name="operation"/> as a later message to this owner, never inline.</summary>
    public void Defer(Func<long> operation) => Scheduler!.Send(this, new ClosurePost(operation));

    protected internal override void Receive(Message m)
    {
        var posted = m as ClosurePost;
        if (posted != null)
        {
            posted.Operation();
            return;
        }
        var request = m as FileRequest;
        if (request == null) return;
        request.Result = request.Execute();
        Send(request.Thread!, new WakeMessage(request.Reply!, 1));
    }

    private sealed class ClosureRequest : FileRequest
    {
        private readonly Func<long> _operation;

        public ClosureRequest(Func<long> operation) { _operation = operation; }

        public override long Execute() => _operation();
    }

    private sealed class ClosurePost : Message
    {
        public readonly Func<long> Operation;

        public ClosurePost(Func<long> operation) { Operation = operation; }
    }
}

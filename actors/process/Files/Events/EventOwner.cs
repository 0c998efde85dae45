// EventOwner: a FileOwner for the small event files (eventfd, timerfd,
// epoll) whose requests are closures over the owner's own methods, as the
// VfsActor's are: Run carries one to the owner (inline on its CPU, a message
// round trip elsewhere, see FileCall) and returns its result; Post carries
// one that needs no reply (a last close).
//
// Reply: the closure's result (a count, a mask, -errno, or
// FileRequest.WouldBlock after it registered a FileWaiter). Peer death: as for
// every FileRequest, a reply to an exited thread is dropped.
using System;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Events;

public abstract class EventOwner : FileOwner
{
    /// <summary>Runs <paramref name="operation"/> on this owner's CPU for <paramref name="t"/>: its result.</summary>
    public KernelTask<long> Run(UserThread t, Func<long> operation) => FileCall.Run(t, this, new Request(operation));

    /// <summary>Runs <paramref name="operation"/> on this owner's CPU without a reply: inline when
    /// already there (so a request from this CPU cannot overtake it), else as a message.</summary>
    public void Post(Func<long> operation)
    {
        if (Home == Scheduler!.Platform.CurrentCpu) operation();
        else Scheduler.Send(this, new Posted(operation));
    }

    protected internal override void Receive(Message m)
    {
        var posted = m as Posted;
        if (posted != null)
        {
            posted.Operation();
            return;
        }
        base.Receive(m);
    }

    private sealed class Request : FileRequest
    {
        private readonly Func<long> _operation;

        public Request(Func<long> operation) { _operation = operation; }

        public override long Execute() => _operation();
    }

    private sealed class Posted : Message
    {
        public readonly Func<long> Operation;

        public Posted(Func<long> operation) { Operation = operation; }
    }
}

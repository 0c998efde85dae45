// Forcing a collection from a self-test: request one, then keep sending the
// caller a message until the collection count has moved. The request makes
// every CPU stop at its next safepoint, so the caller's next message runs after it.
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class AfterCollection : Message
{
    public readonly long Before;
    public AfterCollection(long before) { Before = before; }
    public bool Done => GcHeap.Collections > Before;
}

public static class Collector
{
    /// <summary>Requests a collection and sends <paramref name="self"/> an AfterCollection.</summary>
    public static void Collect(Scheduler scheduler, Actor self)
    {
        long before = GcHeap.Collections;
        GcHeap.NoteRequested();
        scheduler.Safepoint.Request();
        scheduler.Send(self, new AfterCollection(before));
    }

    /// <summary>Starts a concurrent collection cycle marked by the caller's CPU (or, if one is under way or
    /// the collector stops the world, asks for a collection) and sends <paramref name="self"/> an AfterCollection.</summary>
    public static void CollectConcurrently(Scheduler scheduler, Actor self)
    {
        long before = GcHeap.Collections;
        if (!GcHeap.Concurrent || !GcHeap.StartCycle(scheduler.Platform.CurrentCpu))
        {
            GcHeap.NoteRequested();
            scheduler.Safepoint.Request();
        }
        scheduler.Send(self, new AfterCollection(before));
    }

    /// <summary>True when the collection is over; otherwise re-sends the message and returns false.</summary>
    public static bool Finished(Scheduler scheduler, Actor self, AfterCollection m)
    {
        if (m.Done) return true;
        scheduler.Send(self, new AfterCollection(m.Before));
        return false;
    }
}

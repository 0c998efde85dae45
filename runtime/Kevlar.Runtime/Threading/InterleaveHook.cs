// InterleaveHook: the seam through which a systematic tester sees the racy
// steps of the runtime's lock-free code.
//
// Every shared-memory step whose order against another CPU matters (a queue
// link, a sleep flag, a home change, a safepoint phase) calls Point() just
// before or after it. On metal Handler is null and Point() is one load and a
// branch. The Coyote host sets Handler to SchedulingPoint.Interleave(), so the
// explorer may switch CPUs there; runtime code never names Coyote.
using System;

namespace Kevlar.Runtime.Threading;

public static class InterleaveHook
{
    /// <summary>Called at every interleaving point; null on metal. Set only
    /// while no CPU runs (before a test starts).</summary>
    public static Action? Handler;

    /// <summary>The store-buffer model Atomic's accesses go through; null on metal (MemoryModel.cs).
    /// Set only while no CPU runs.</summary>
    public static MemoryModel? Memory;

    /// <summary>A point where another CPU may run before this one goes on.</summary>
    public static void Point()
    {
        Action? h = Handler;
        if (h != null)
        {
            h();
        }
    }
}

// Hooks: connects the runtime's host seams to Coyote — every InterleaveHook
// point becomes a scheduling point (counted, for the per-run step figures) and
// every failed Kassert a Coyote assertion failure carrying the invariant's text.
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Harness;

public static class Hooks
{
    /// <summary>Scheduling points taken since the process started.</summary>
    public static long Points;

    public static void Install()
    {
        InterleaveHook.Handler = Point;
        Kassert.FailureHandler = static what => Specification.Assert(false, what);
    }

    public static void Uninstall()
    {
        InterleaveHook.Handler = null;
        Kassert.FailureHandler = null;
    }

    // True while the harness itself looks at kernel state (monitors, invariants):
    // the runtime's accessors it calls are not the simulated CPUs' steps.
    private static bool s_observing;

    /// <summary>A point where Coyote may switch to another CPU.</summary>
    public static void Point()
    {
        if (s_observing)
        {
            return;
        }
        Points++;
        SchedulingPoint.Interleave();
    }

    /// <summary>Runs <paramref name="look"/> as one atomic observation: no
    /// scheduling point inside it.</summary>
    public static void Observe(Action look)
    {
        bool outer = s_observing;
        s_observing = true;
        try
        {
            look();
        }
        finally
        {
            s_observing = outer;
        }
    }
}

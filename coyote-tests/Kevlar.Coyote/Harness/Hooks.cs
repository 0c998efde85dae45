// Hooks: connects the runtime's host seams to Coyote — every InterleaveHook
// point becomes a scheduling point and every failed Kassert a Coyote
// assertion failure carrying the invariant's text.
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Harness;

public static class Hooks
{
    public static void Install()
    {
        InterleaveHook.Handler = SchedulingPoint.Interleave;
        Kassert.FailureHandler = static what => Specification.Assert(false, what);
    }

    public static void Uninstall()
    {
        InterleaveHook.Handler = null;
        Kassert.FailureHandler = null;
    }
}

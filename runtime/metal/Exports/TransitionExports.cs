// Runtime symbols compiled code calls around managed/native transitions
// (compiler contract). The kernel has no cooperative-mode GC transitions:
// collection happens only at scheduler safepoints, so these are no-ops.
using System.Runtime;

namespace Kevlar.Runtime.Metal.Exports;

internal static class TransitionExports
{
    [RuntimeExport("RhpReversePInvoke")] private static void RhpReversePInvoke(nint frame) { }
    [RuntimeExport("RhpReversePInvokeReturn")] private static void RhpReversePInvokeReturn(nint frame) { }
    [RuntimeExport("RhpPInvoke")] private static void RhpPInvoke(nint frame) { }
    [RuntimeExport("RhpPInvokeReturn")] private static void RhpPInvokeReturn(nint frame) { }
}

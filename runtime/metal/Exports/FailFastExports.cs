// Where a failed runtime check ends: the corlib's ThrowHelpers and ilc's
// RhpFallbackFailFast call here, and the kernel's panic reporter (installed by
// the platform at boot) prints the report and stops the machine.
using System.Runtime;

namespace Kevlar.Runtime.Metal.Exports;

public static unsafe class FailFastExports
{
    /// <summary>The panic handler; set once during boot, before anything can fail.</summary>
    public static delegate*<string, void> Handler;

    /// <summary>Stops the kernel with a panic report naming <paramref name="reason"/>.</summary>
    public static void Fail(string reason) => KevlarFailFast(reason);

    [RuntimeExport("KevlarFailFast")]
    private static void KevlarFailFast(string reason)
    {
        if (Handler != null) Handler(reason);
        while (true) Native.StiHltCli();
    }

    [RuntimeExport("RhpFallbackFailFast")]
    private static void RhpFallbackFailFast() => KevlarFailFast("fallback fail-fast");
}

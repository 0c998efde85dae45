// KassertFailure: the exception the host test handler turns a failed kernel
// assertion into, and the fixture that installs that handler.
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Tests.Support;

public sealed class KassertFailure : Exception
{
    public KassertFailure(string what) : base(what)
    {
    }

    /// <summary>Installs the throwing handler (idempotent) and clears seeded bugs.</summary>
    public static void Install()
    {
        Kassert.FailureHandler = static what => throw new KassertFailure(what);
        SeededBugs.Reset();
    }
}

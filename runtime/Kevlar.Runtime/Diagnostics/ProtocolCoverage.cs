// ProtocolCoverage: names the states and transitions of the runtime's
// concurrency protocols as the code reaches them, so the Coyote explorer can
// report which ones its scenarios drive (./kevlar explore --coverage) and an
// unreached one is visible. On metal Handler is null and Reached is one load
// and a branch; the Coyote host installs a counter. Runtime code never names
// the checker (as with InterleaveHook). Names are "protocol.state".
using System;

namespace Kevlar.Runtime.Diagnostics;

public static class ProtocolCoverage
{
    /// <summary>Called with each state reached; null on metal. Set only while
    /// no CPU runs.</summary>
    public static Action<string>? Handler;

    /// <summary>The code has reached the named state or transition.</summary>
    public static void Reached(string state)
    {
        Action<string>? h = Handler;
        if (h != null)
        {
            h(state);
        }
    }
}

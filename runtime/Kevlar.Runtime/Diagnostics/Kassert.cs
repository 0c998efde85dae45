// Kassert: kernel assertions that name the invariant they check.
//
// The text given to True() starts with the invariant's name ("FifoPerPair: ...");
// coyote-tests checks the same-named property in its specifications, and its
// bug-finding tests match on that name. On failure the static FailureHandler
// runs: on metal a kernel panic that never returns; on the host an exception or
// a Coyote assertion, set by the test host. With no handler installed a failure
// is counted and execution goes on (there is no unwinder to throw into).
using System;

namespace Kevlar.Runtime.Diagnostics;

public static class Kassert
{
    /// <summary>Receives the invariant text of a failed assertion.</summary>
    public static Action<string>? FailureHandler;

    /// <summary>Failed assertions seen with no handler installed.</summary>
    public static int UnhandledFailures;

    /// <summary>Checks <paramref name="cond"/>; on failure reports
    /// <paramref name="what"/> ("Name: sentence") to the failure handler.</summary>
    public static void True(bool cond, string what)
    {
        if (cond)
        {
            return;
        }
        Fail(what);
    }

    /// <summary>Reports a failed invariant unconditionally.</summary>
    public static void Fail(string what)
    {
        Action<string>? h = FailureHandler;
        if (h != null)
        {
            h(what);
            return;
        }
        System.Threading.Interlocked.Increment(ref UnhandledFailures);
    }
}

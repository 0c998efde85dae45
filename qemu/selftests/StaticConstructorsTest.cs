// Lazy static constructors on metal: a static field initializer that builds an
// object of its own type, whose constructor reads that field again (the
// re-entry .NET lets the initializing thread through, seeing null), and an
// array of strings — both used to spin forever in the class-construction
// check. Values come from a runtime static so ilc cannot pre-run them.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class StaticConstructorsTest : SelfTest
{
    private static int s_cpus;

    private sealed class Registry
    {
        public static readonly Registry Default = new Registry();
        public static readonly string[] Names = new string[] { "first", "second", Out.Dec(s_cpus) };

        public readonly int Cpus;
        public readonly bool SawItselfUnset;

        private Registry()
        {
            Cpus = s_cpus;
            SawItselfUnset = Default == null;
        }
    }

    public override string Name => "static-constructors";

    public override void Start(Scheduler scheduler)
    {
        s_cpus = scheduler.CpuCount;
        Registry r = Registry.Default;
        bool ok = r != null && r.Cpus == scheduler.CpuCount && r.SawItselfUnset && Registry.Names.Length == 3
                  && Registry.Names[2] == Out.Dec(scheduler.CpuCount);
        Finish(ok, ok ? "a cctor that re-enters its own type and a string array both ran once" : "a static constructor gave the wrong values");
    }
}

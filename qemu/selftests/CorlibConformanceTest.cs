// Runs the corlib conformance checks (Conformance/CorlibConformance.cs) in the
// kernel and prints their lines between markers, for the QEMU test to compare
// with the same checks run on .NET. Passes when none of the file's own
// expectations failed; the line-for-line comparison is the QEMU test's.
using Kevlar.Runtime.Scheduling;
using Kevlar.SelfTests.Conformance;

namespace Kevlar.SelfTests;

public sealed class CorlibConformanceTest : SelfTest
{
    public const string BeginMarker = "corlib-conformance: begin";
    public const string EndMarker = "corlib-conformance: end";

    public override string Name => "corlib-conformance";

    public override void Start(Scheduler scheduler)
    {
        var lines = CorlibConformance.Run();
        int failed = 0;
        Out.Line(BeginMarker);
        foreach (string line in lines)
        {
            if (line.EndsWith(" FAIL")) failed++;
            Out.Line(line);
        }
        Out.Line(EndMarker);
        Finish(failed == 0, string.Concat(lines.Count.ToString(), " lines, ", failed.ToString(), " expectations failed"));
    }
}

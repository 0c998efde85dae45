// The gc-pauses self-test on 4 CPUs with 3.5 MB kept live over 5 collections:
// the live nodes survive every collection intact, and the pause table it
// prints (the format of /proc/kevlar/gc) has one line per collection and a
// summary whose pause is at least its mark. Figures are printed, not judged.
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class GcPausesTests(ITestOutputHelper output)
{
    private const int Rounds = 5;

    [Fact]
    public void GcPauses_SmallLiveHeap_LiveDataIntactAndTablePrinted()
    {
        var run = QemuBoot.Cached(4, $"kevlar.test=gc-pauses kevlar.gclive=3584 kevlar.gcrounds={Rounds}", 300);
        output.WriteLine(run.Describe());

        var verdict = run.Find(@"^selftest gc-pauses: (PASS|FAIL) (.*)$");
        Assert.True(verdict != null, "no 'selftest gc-pauses:' line");
        Assert.True(verdict!.Groups[1].Value == "PASS", verdict.Groups[2].Value);
        Assert.Equal(QemuRun.Pass, run.ExitCode);
        var rows = run.Lines.Where(l => Regex.IsMatch(l, @"^gc-pauses: \d+( \d+){11}$")).ToArray();
        Assert.Equal(Rounds, rows.Length);
        var max = run.Find(@"^gc-pauses: max (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$");
        Assert.True(max != null, "no summary line");
        Assert.True(long.Parse(max!.Groups[6].Value) >= long.Parse(max.Groups[4].Value), "the pause is shorter than its mark");
        Assert.True(long.Parse(max.Groups[7].Value) >= 3584, "less live data than the test keeps");
    }
}

// The conformance checks on .NET itself: every expectation the checks state
// holds, the output is deterministic and well formed, and it is long enough
// to mean something. These lines are the reference the kernel's must equal.
using System.Collections.Generic;
using System.Linq;
using Kevlar.SelfTests.Conformance;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.Corlib.Tests.Conformance;

public class CorlibConformanceTests(ITestOutputHelper output)
{
    private static readonly List<string> s_lines = CorlibConformance.Run();

    [Fact]
    public void Run_OnDotNet_EveryExpectationHolds()
    {
        foreach (string line in s_lines) output.WriteLine(line);
        Assert.DoesNotContain(s_lines, l => l.EndsWith(" FAIL"));
    }

    [Fact]
    public void Run_Twice_GivesTheSameLines()
    {
        Assert.Equal(s_lines, CorlibConformance.Run());
    }

    [Fact]
    public void Run_OnDotNet_EveryLineIsNameThenValue()
    {
        foreach (string line in s_lines)
        {
            Assert.True(line.IndexOf(' ') > 0, $"no name: '{line}'");
            Assert.DoesNotContain('\n', line);
            Assert.DoesNotContain('\r', line);
            Assert.All(line, c => Assert.True(c >= ' ' && c <= '~', $"non-ASCII char in '{line}'"));
        }
    }

    [Fact]
    public void Run_OnDotNet_NamesAreUnique()
    {
        var duplicates = s_lines.Select(l => l.Substring(0, l.LastIndexOf(' '))).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Run_OnDotNet_CoversHundredsOfChecks()
    {
        Assert.True(s_lines.Count >= 400, $"only {s_lines.Count} lines");
        foreach (string area in new[] { "obj.", "hash.", "eq.", "cmp.", "eqc.", "struct.", "cmpc.", "str.", "fmt.", "parse.", "sb.", "dict.", "set.", "queue.", "list.", "mem." })
            Assert.Contains(s_lines, l => l.StartsWith(area));
    }
}

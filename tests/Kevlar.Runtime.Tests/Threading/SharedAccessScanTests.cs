// SharedAccessScanTests: every [Shared] field of the runtime is reached only
// through Atomic, whose every operation is a Coyote scheduling point, and no
// runtime code uses Volatile/Interlocked directly on an unmarked field (the
// exemptions below say why each is not shared). The scan itself is tested on
// small sources that break each rule.
using Xunit;

namespace Kevlar.Runtime.Tests.Threading;

public class SharedAccessScanTests
{
    // Fields read with Volatile/Interlocked that are not [Shared], and why.
    private static readonly HashSet<string> s_exempt = new()
    {
        // Statistics: written by their own CPU only, read racily by GetStats
        // for a snapshot; no decision depends on them.
        "CpuState.Delivered", "CpuState.Sleeps", "CpuState.Forwarded", "CpuState.Parks",
        // The handler a CPU runs, for hang and panic reports only: written by its own CPU,
        // read racily by a report; no decision depends on it.
        "CpuState.Running",
        // Kassert's count of failures with no handler: a diagnostic counter.
        "Kassert.UnhandledFailures",
        // A cache of immutable completed tasks, made once: whichever array a racing CPU gets,
        // every task in it is valid; no decision depends on it.
        "CompletedLongTasks.s_tasks",
    };

    private static string RepoRoot()
    {
        string d = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(d, "Kevlar.Actors.sln")))
        {
            d = Path.GetDirectoryName(d) ?? throw new InvalidOperationException("repository root not found");
        }
        return d;
    }

    private static IEnumerable<(string, string)> Sources(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(RepoRoot(), f), File.ReadAllText(f)));

    [Fact]
    public void Runtime_SharedFields_OnlyThroughAtomic()
    {
        var findings = SharedAccessScan.Scan(Sources(Path.Combine(RepoRoot(), "runtime", "Kevlar.Runtime")), s_exempt);
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public void Runtime_MarksItsSharedFields()
    {
        string all = string.Concat(Sources(Path.Combine(RepoRoot(), "runtime", "Kevlar.Runtime")).Select(s => s.Item2));
        foreach (string field in new[] { "Message _tail;", "Message? Next;", "int InFlight;", "int HomeCpu", "int Sleeping;", "int SendSeq;",
            "int _externalSends;", "int _phase;", "int _parked;", "int _generation;", "int _requested;" })
        {
            Assert.Contains("[Shared] ", all.Split('\n').First(l => l.Contains(field)));
        }
    }

    private const string Prelude = """
        namespace Kevlar.Runtime.Threading
        {
            [System.AttributeUsage(System.AttributeTargets.Field)] public sealed class SharedAttribute : System.Attribute { }
            public static class Atomic
            {
                public static int Load(ref int l) => System.Threading.Volatile.Read(ref l);
                public static void Store(ref int l, int v) => System.Threading.Volatile.Write(ref l, v);
            }
        }
        """;

    private static List<string> ScanOne(string body) =>
        SharedAccessScan.Scan(new[] { ("prelude.cs", Prelude), ("t.cs", "using Kevlar.Runtime.Threading; " + body) }, new HashSet<string>());

    [Fact]
    public void Scan_PlainReadOfSharedField_IsFound()
    {
        var f = ScanOne("class C { [Shared] int _x; int Get() => _x; }");
        Assert.Contains(f, s => s.Contains("C._x is [Shared] but accessed outside Atomic"));
    }

    [Fact]
    public void Scan_PlainWriteThroughAnotherObject_IsFound()
    {
        var f = ScanOne("class C { [Shared] internal int X; } class D { void Set(C c) { c.X = 1; } }");
        Assert.Single(f);
    }

    [Fact]
    public void Scan_AtomicAccessAndOwnConstructor_AreAllowed()
    {
        var f = ScanOne("class C { [Shared] int _x; C() { _x = 1; } int Get() => Atomic.Load(ref _x); void Set() => Atomic.Store(ref _x, 2); }");
        Assert.Empty(f);
    }

    [Fact]
    public void Scan_DirectVolatileOnUnmarkedField_IsFound()
    {
        var f = ScanOne("class C { int _y; int Get() => System.Threading.Volatile.Read(ref _y); }");
        Assert.Contains(f, s => s.Contains("Volatile.Read on C._y"));
    }
}

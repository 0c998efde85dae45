// MutateCommand: `explore --mutate` — the mutation check of the Coyote tests.
// Copies runtime/, actors/, coyote-tests/ and the collector's host shims (the
// working tree's files that git does not ignore) to a scratch directory; for
// each mutant (Mutants.All) edits the copy, builds the explorer against it
// (warnings not errors: a mutant may leave code unreachable) and runs a
// bounded exploration of the runtime tests (random, then PCT), stopping
// at the first bug. A mutant is killed when some test finds a bug; it
// survives when all pass. Prints each outcome and the kill rate; a mutant
// marked equivalent is listed with its argument and neither run nor counted.
using System.Diagnostics;

namespace Kevlar.Explorer;

public static class MutateCommand
{
    private static readonly string[] s_tests = { "TestMailbox", "TestIdleWake", "TestMigration", "TestSafepoint", "TestConsoleInput" };

    public static int Run(Args a)
    {
        uint iterations = a.GetUInt("iterations") ?? 500;
        string? only = a.Get("mutant");
        string[]? names = only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Mutant[] mutants = Array.FindAll(Mutants.All, m => names == null || names.Contains(m.Name, StringComparer.OrdinalIgnoreCase));
        if (mutants.Length == 0)
        {
            throw new ArgumentException("unknown mutant: " + only);
        }
        string root = RepoRoot();
        string work = Path.Combine(Path.GetTempPath(), "kevlar-mutate-" + Environment.ProcessId);
        Console.WriteLine("copying the sources to " + work);
        CopyTracked(root, work);
        foreach (Mutant m in mutants)
        {
            string text = File.ReadAllText(Path.Combine(work, m.File));
            int at = text.IndexOf(m.Original, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(m.Original, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new ArgumentException("mutant " + m.Name + " does not apply exactly once to " + m.File);
            }
        }
        int killed = 0;
        int compiled = 0;
        var survivors = new List<Mutant>();
        foreach (Mutant m in mutants)
        {
            if (m.Equivalent != null)
            {
                Console.WriteLine(m.Name.PadRight(28) + " " + m.Kind.PadRight(22) + " equivalent (not counted): " + m.Equivalent);
                continue;
            }
            string path = Path.Combine(work, m.File);
            string pristine = File.ReadAllText(path);
            File.WriteAllText(path, pristine.Replace(m.Original, m.Replacement, StringComparison.Ordinal));
            try
            {
                Console.Write(m.Name.PadRight(28) + " " + m.Kind.PadRight(22) + " ");
                if (!Build(work))
                {
                    Console.WriteLine("does not compile (not counted)");
                    continue;
                }
                compiled++;
                string? verdict = Explore(work, iterations);
                if (verdict != null)
                {
                    killed++;
                    Console.WriteLine("killed   " + verdict);
                }
                else
                {
                    survivors.Add(m);
                    Console.WriteLine("SURVIVED " + m.What);
                }
            }
            finally
            {
                File.WriteAllText(path, pristine);
            }
        }
        Console.WriteLine("kill rate: " + killed + "/" + compiled
            + (compiled > 0 ? " (" + (100.0 * killed / compiled).ToString("F0") + "%)" : ""));
        foreach (Mutant s in survivors)
        {
            Console.WriteLine("survivor: " + s.Name + ": " + s.What);
        }
        Directory.Delete(work, true);
        return 0;
    }

    // The first test and strategy that finds a bug, with the bug's first line; null if none does.
    private static string? Explore(string work, uint iterations)
    {
        string dll = Path.Combine(work, "coyote-tests/Kevlar.Explorer/bin/Release/net10.0/Kevlar.Explorer.dll");
        foreach (var (strategy, n) in new[] { ("random", iterations), ("pct", Math.Max(1, iterations / 2)) })
        {
            foreach (string test in s_tests)
            {
                var (status, output) = Exec("dotnet", work, TimeSpan.FromMinutes(3), dll, "explore", "--test", test,
                    "--iterations", n.ToString(), "--seed", "1", "--strategy", strategy, "--out", Path.Combine(work, "found"));
                if (status == -1)
                {
                    return test + " " + strategy + ": timed out";
                }
                if (status != 0)
                {
                    string bug = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("bug:", StringComparison.Ordinal))?.Trim()
                        ?? "exit status " + status;
                    return test + " " + strategy + ": " + (bug.Length > 110 ? bug[..110] + "..." : bug);
                }
            }
        }
        return null;
    }

    private static bool Build(string work)
    {
        var (status, _) = Exec("dotnet", work, TimeSpan.FromMinutes(5), "build", "coyote-tests/Kevlar.Explorer", "-c", "Release", "-nologo", "-v", "q",
            "-p:TreatWarningsAsErrors=false");
        return status == 0;
    }

    private static (int Status, string Output) Exec(string file, string dir, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using System.Diagnostics.Process p = System.Diagnostics.Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(true);
            return (-1, "");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static void CopyTracked(string root, string work)
    {
        var (status, files) = Exec("git", root, TimeSpan.FromMinutes(1), "ls-files", "--cached", "--others", "--exclude-standard", "runtime", "actors", "coyote-tests",
            "tests/Kevlar.Runtime.Metal.Tests/Support"); // the collector's host shims, compiled into Kevlar.Coyote
        if (status != 0)
        {
            throw new ArgumentException("git ls-files failed in " + root);
        }
        foreach (string f in files.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string from = Path.Combine(root, f);
            if (!File.Exists(from))
            {
                continue;
            }
            string to = Path.Combine(work, f);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, true);
        }
    }

    private static string RepoRoot()
    {
        string d = Directory.GetCurrentDirectory();
        while (!File.Exists(Path.Combine(d, "Kevlar.Actors.sln")))
        {
            d = Path.GetDirectoryName(d) ?? throw new ArgumentException("run explore --mutate inside the repository");
        }
        return d;
    }
}

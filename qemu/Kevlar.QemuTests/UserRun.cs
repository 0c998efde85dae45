// Runs a Linux program twice, natively on this host (the reference) and on
// the kernel through qemu/run-user.sh, and compares the two: exit status and
// output lines. Used by UserProgramTests (qemu/user's C programs) and
// BusyBoxTests. Natively stderr goes into the same pipe as stdout (as both
// go to the one console on the kernel), so their order is the program's.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Kevlar.QemuTests;

/// <summary>One run of a program: its exit status (128+N for signal N) and its output lines, \r\n read as \n.</summary>
public sealed record UserRunResult(string Where, int ExitCode, string[] Lines, TimeSpan Elapsed, bool Killed)
{
    public string Describe()
        => $"--- {Where}: exit {ExitCode}{(Killed ? " (killed at the deadline)" : "")} after {Elapsed.TotalSeconds:F1} s ---\n"
           + string.Join("\n", Lines) + "\n--- end ---";
}

public static class UserRun
{
    /// <summary>run-user.sh's statuses for a kernel that never finished the program (see qemu/run-user.sh).</summary>
    public const int NoReport = 98, Panic = 99, Timeout = 124;

    private static readonly object s_gate = new();
    private static string? s_buildError;
    private static bool s_built;

    public static string ProgramDir => Path.Combine(KernelImage.Root, "qemu", "out", "user");
    public static string SourceDir => Path.Combine(KernelImage.Root, "qemu", "user");

    /// <summary>Builds qemu/user's programs (qemu/user/build.sh, once per test run); throws with the compiler's output when that fails.</summary>
    public static void EnsureProgramsBuilt()
    {
        lock (s_gate)
        {
            if (!s_built)
            {
                s_built = true;
                var r = ProcessRunner.Run("bash", [Path.Combine(SourceDir, "build.sh")], KernelImage.Root, TimeSpan.FromMinutes(5));
                if (r.ExitCode != 0) s_buildError = $"qemu/user/build.sh failed (exit {r.ExitCode}):\n{r.Output}";
            }
            if (s_buildError != null) throw new InvalidOperationException(s_buildError);
        }
    }

    /// <summary>Runs <paramref name="program"/> on this host with stdout and stderr in one pipe.</summary>
    public static UserRunResult Native(string program, IReadOnlyList<string> args, int timeoutSeconds)
    {
        string[] argv = ["-c", "exec \"$0\" \"$@\" 2>&1", program, .. args];
        var r = ProcessRunner.Run("bash", argv, Path.GetTempPath(), TimeSpan.FromSeconds(timeoutSeconds));
        return new UserRunResult("native", r.ExitCode, Lines(r.Output), r.Elapsed, r.Killed);
    }

    /// <summary>Boots the kernel with each of <paramref name="addDirs"/> in the initramfs and runs <paramref name="program"/> (a path inside it) as PID 1.</summary>
    public static UserRunResult Kernel(IReadOnlyList<string> addDirs, string program, IReadOnlyList<string> args, int timeoutSeconds,
        params string[] options)
    {
        KernelImage.EnsureBuilt();
        var argv = new List<string> { Path.Combine(KernelImage.Root, "qemu", "run-user.sh"), "--timeout", timeoutSeconds.ToString() };
        argv.AddRange(options);
        foreach (string d in addDirs) argv.AddRange(["--add", d]);
        argv.Add("--");
        argv.Add(program);
        argv.AddRange(args);
        var r = ProcessRunner.Run("bash", [.. argv], KernelImage.Root, TimeSpan.FromSeconds(timeoutSeconds + 60));
        return new UserRunResult("kernel", r.ExitCode, Lines(r.Output), r.Elapsed, r.Killed);
    }

    /// <summary>Runs each program (a host path and its arguments) on Debian's own Linux kernel in the
    /// same QEMU machine, in one boot (qemu/linux/oracle.sh): the reference where the host cannot
    /// show Linux's behaviour. One result per program, in order; a program the boot never
    /// finished has exit status -1.</summary>
    public static UserRunResult[] Linux(IReadOnlyList<string[]> programs, int timeoutSeconds)
    {
        var argv = new List<string> { Path.Combine(KernelImage.Root, "qemu", "linux", "oracle.sh") };
        for (int i = 0; i < programs.Count; i++)
        {
            if (i > 0) argv.Add("--");
            argv.AddRange(programs[i]);
        }
        var r = ProcessRunner.Run("bash", [.. argv], KernelImage.Root, TimeSpan.FromSeconds(timeoutSeconds));
        var results = new UserRunResult[programs.Count];
        int at = -1;
        var lines = new List<string>();
        foreach (string line in Lines(r.Output))
        {
            if (line.StartsWith("=== exit ", StringComparison.Ordinal) && at >= 0 && at < results.Length)
            {
                results[at] = new UserRunResult("linux", int.Parse(line["=== exit ".Length..]), [.. lines], r.Elapsed, r.Killed);
                lines.Clear();
            }
            else if (line.StartsWith("=== /", StringComparison.Ordinal)) { at++; lines.Clear(); }
            else if (at >= 0) lines.Add(line);
        }
        for (int i = 0; i < results.Length; i++)
            results[i] ??= new UserRunResult("linux", -1, i == at ? [.. lines] : Lines(r.Output), r.Elapsed, r.Killed);
        return results;
    }

    /// <summary>Why the kernel run did not finish the program (no boot, panic, timeout), or null when it did.</summary>
    public static string? Unfinished(UserRunResult kernel) => kernel.ExitCode switch
    {
        _ when kernel.Killed => "run-user.sh was killed at the test's deadline",
        NoReport => "the kernel stopped without reporting an exit status (did it boot?)",
        Panic => "the kernel panicked",
        Timeout => "the kernel timed out",
        _ => null,
    };

    /// <summary>The first differences between two line lists, or an empty string when they are equal.</summary>
    public static string Diff(IReadOnlyList<string> expected, IReadOnlyList<string> actual, int max = 30)
    {
        var text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.Max(expected.Count, actual.Count) && shown < max; i++)
        {
            string? e = i < expected.Count ? expected[i] : null;
            string? a = i < actual.Count ? actual[i] : null;
            if (e == a) continue;
            text.Append($"line {i + 1}: native {Show(e)}, kernel {Show(a)}\n");
            shown++;
        }
        return text.ToString();
    }

    private static string Show(string? line) => line == null ? "(missing)" : $"'{line}'";

    /// <summary>Output as lines: \r\n read as \n; the empty string after the last \n is no line.</summary>
    public static string[] Lines(string output)
    {
        string[] lines = output.Replace("\r\n", "\n").Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}

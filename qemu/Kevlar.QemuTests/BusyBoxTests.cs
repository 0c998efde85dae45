// BusyBox's shell on the kernel against the same /bin/busybox on this host:
// the scripts in qemu/user/busybox/*.sh (shell builtins only: no fork or exec
// yet) run in one `busybox sh -c` per side, one boot for all of them. Each
// script becomes a function between markers
//   === begin NAME
//   ...its output...
//   === end NAME status N
// so each test compares one script's lines and status, and a script that
// stops the shell is the one whose end marker is missing. The combined
// script ends with `exit 3`, so the shell's own exit status is compared too.
// Only the scripts in Passing run; NotYetPassing lists the rest.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class BusyBoxTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 120;
    private const int FinalStatus = 3;
    private const string Busybox = "/bin/busybox";

    /// <summary>Scripts whose output and status the kernel gives exactly as Linux does.</summary>
    public static readonly string[] PassingScripts = ["arith", "loops", "functions", "test", "status", "case", "variables", "builtins", "echo-printf", "files-test", "cwd", "redirect", "applets", "network", "namespaces", "pidns"];

    public static TheoryData<string> Passing => new(PassingScripts);

    /// <summary>Scripts the kernel fails today (missing syscalls), not run here; see qemu/user/README.md.</summary>
    public static readonly string[] NotYetPassing = [];

    private static readonly Lazy<(UserRunResult Native, UserRunResult Kernel)> s_runs = new(RunBoth);

    private static string ScriptDir => Path.Combine(UserRun.SourceDir, "busybox");

    /// <summary>The combined script: each script as a function between its markers, then exit 3.</summary>
    public static string Combined(string[] names)
    {
        var text = new StringBuilder();
        foreach (string name in names)
        {
            string fn = "t_" + name.Replace('-', '_');
            string body = File.ReadAllText(Path.Combine(ScriptDir, name + ".sh")).TrimEnd('\n');
            text.Append($"echo '=== begin {name}'\n{fn}() {{\n{body}\n}}\n{fn}\necho \"=== end {name} status $?\"\n");
        }
        return text.Append($"exit {FinalStatus}\n").ToString();
    }

    private static (UserRunResult, UserRunResult) RunBoth()
    {
        string script = Combined(PassingScripts);
        var native = UserRun.Native(Busybox, ["sh", "-c", script], TimeoutSeconds);
        string root = Path.Combine(Path.GetTempPath(), $"kevlar-busybox-{Environment.ProcessId}");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy(Busybox, Path.Combine(root, "bin", "busybox"), overwrite: true);
        try
        {
            return (native, UserRun.Kernel([root], Busybox, ["sh", "-c", script], TimeoutSeconds));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private (UserRunResult Native, UserRunResult Kernel) Runs()
    {
        Assert.True(File.Exists(Busybox), $"{Busybox} is missing (apt-get install busybox-static)");
        var runs = s_runs.Value;
        output.WriteLine(runs.Native.Describe());
        output.WriteLine(runs.Kernel.Describe());
        return runs;
    }

    /// <summary>
    /// The lines after NAME's begin marker up to the next marker, that marker
    /// included when it is NAME's end marker; null when the begin marker is missing.
    /// </summary>
    private static string[]? Section(UserRunResult run, string name)
    {
        int begin = Array.IndexOf(run.Lines, $"=== begin {name}");
        if (begin < 0) return null;
        int next = Array.FindIndex(run.Lines, begin + 1, l => l.StartsWith("=== "));
        if (next < 0) return run.Lines[(begin + 1)..];
        return run.Lines[(begin + 1)..(IsEnd(run.Lines[next], name) ? next + 1 : next)];
    }

    private static bool IsEnd(string line, string name) => line.StartsWith($"=== end {name} status ");

    [Theory]
    [MemberData(nameof(Passing))]
    public void Script_OnKernel_SameLinesAndStatusAsLinux(string name)
    {
        var (native, kernel) = Runs();
        string[]? expected = Section(native, name);
        Assert.True(expected != null && expected.Length > 0 && IsEnd(expected[^1], name), $"natively the script {name} did not finish: the reference is broken");
        string? unfinished = UserRun.Unfinished(kernel);
        Assert.True(unfinished == null, $"busybox on the kernel: {unfinished} (exit {kernel.ExitCode})");
        string[]? actual = Section(kernel, name);
        Assert.True(actual != null, $"on the kernel the script {name} never started: an earlier script stopped the shell");
        Assert.True(actual!.Length > 0 && IsEnd(actual[^1], name),
            $"on the kernel the shell stopped inside {name} (exit {kernel.ExitCode})\n{UserRun.Diff(expected!, actual)}");
        string diff = UserRun.Diff(expected!, actual);
        Assert.True(diff.Length == 0, $"{name}: the kernel's output differs from Linux's:\n{diff}");
    }

    [Fact]
    public void Shell_OnKernel_ExitsWithScriptStatus()
    {
        var (native, kernel) = Runs();
        Assert.True(native.ExitCode == FinalStatus, $"natively busybox sh exited {native.ExitCode}, expected {FinalStatus}");
        string? unfinished = UserRun.Unfinished(kernel);
        Assert.True(unfinished == null, $"busybox on the kernel: {unfinished} (exit {kernel.ExitCode})");
        Assert.True(kernel.ExitCode == FinalStatus, $"busybox sh exited {kernel.ExitCode} on the kernel, expected {FinalStatus}");
        string diff = UserRun.Diff(native.Lines, kernel.Lines);
        Assert.True(diff.Length == 0, $"the kernel's output differs from Linux's:\n{diff}");
    }

    [Fact]
    public void EveryScript_IsListedOnce()
    {
        var sources = Directory.EnumerateFiles(ScriptDir, "*.sh").Select(f => Path.GetFileNameWithoutExtension(f)!)
            .OrderBy(n => n, StringComparer.Ordinal).ToList();
        var listed = PassingScripts.Concat(NotYetPassing).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(sources, listed);
    }
}

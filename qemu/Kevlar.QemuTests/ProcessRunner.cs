// Runs a command with stdout and stderr merged into one text (in arrival
// order), no stdin, and a hard deadline after which the whole process tree
// is killed.
using System;
using System.Diagnostics;
using System.Text;

namespace Kevlar.QemuTests;

public sealed record ProcessResult(int ExitCode, string Output, TimeSpan Elapsed, bool Killed);

public static class ProcessRunner
{
    /// <summary>Exit code reported when the deadline killed the process.</summary>
    public const int KilledExitCode = -1;

    public static ProcessResult Run(string file, string[] args, string workingDirectory, TimeSpan deadline)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.Append(e.Data).Append('\n'); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.Append(e.Data).Append('\n'); };
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        bool killed = false;
        if (!p.WaitForExit((int)deadline.TotalMilliseconds))
        {
            killed = true;
            p.Kill(entireProcessTree: true);
        }
        p.WaitForExit();
        lock (output)
            return new ProcessResult(killed ? KilledExitCode : p.ExitCode, output.ToString(), watch.Elapsed, killed);
    }
}

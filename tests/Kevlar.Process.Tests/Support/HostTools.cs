// HostTools: runs the host programs the tests compare against (musl-gcc,
// readelf). A missing tool fails the test: these tests must not pass by
// skipping their real-binary checks.
using System.Diagnostics;
using Xunit;

namespace Kevlar.Process.Tests.Support;

public static class HostTools
{
    /// <summary>Full path of <paramref name="tool"/> on PATH; fails the test when it is not there.</summary>
    public static string Require(string tool)
    {
        string[] dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
                return candidate;
        }
        Assert.Fail(tool + " is not on PATH; install it (./kevlar build installs musl-tools, binutils, busybox-static, cpio)");
        return "";
    }

    /// <summary>Runs <paramref name="tool"/> and returns its stdout; fails the test on a non-zero exit.</summary>
    public static string Run(string tool, string workingDirectory, params string[] arguments) =>
        RunWithEnvironment(tool, workingDirectory, null, arguments);

    /// <summary>As Run, with exactly <paramref name="environment"/> as the environment when it is not null.</summary>
    public static string RunWithEnvironment(string tool, string workingDirectory, string[]? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Require(tool))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        if (environment != null)
        {
            start.Environment.Clear();
            foreach (string pair in environment)
                start.Environment[pair.Substring(0, pair.IndexOf('='))] = pair.Substring(pair.IndexOf('=') + 1);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, tool + " " + string.Join(' ', arguments) + " failed: " + stderr);
        return stdout.Result;
    }
}

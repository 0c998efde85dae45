// GnuCpio: runs the real `cpio -o` over a list of names in a directory and
// returns the archive bytes. A missing cpio fails the test.
using System.Diagnostics;
using Xunit;

namespace Kevlar.Vfs.Tests.Support;

public static class GnuCpio
{
    /// <summary>`cpio -o -H <paramref name="format"/> -R 1234:5678` over <paramref name="names"/>, relative to <paramref name="directory"/>.</summary>
    public static byte[] Create(string directory, string format, IEnumerable<string> names)
    {
        var start = new ProcessStartInfo(Require("cpio"))
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-o", "-H", format, "-R", "1234:5678", "--quiet" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        Task<string> errors = process.StandardError.ReadToEndAsync();
        foreach (string name in names)
            process.StandardInput.Write(name + "\n");
        process.StandardInput.Close();
        copy.Wait();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "cpio failed: " + errors.Result);
        return output.ToArray();
    }

    private static string Require(string tool)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, tool)))
                return Path.Combine(dir, tool);
        Assert.Fail(tool + " is not on PATH; install it (./kevlar build installs cpio)");
        return "";
    }
}

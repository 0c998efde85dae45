// The kernel image the tests boot: qemu/out/kernel.elf, rebuilt with
// qemu/build-image.sh when it is missing or older than any of its sources.
// Built at most once per test run; a failed build fails every test.
using System;
using System.IO;
using System.Linq;

namespace Kevlar.QemuTests;

public static class KernelImage
{
    private static readonly object s_gate = new();
    private static string? s_buildError;
    private static bool s_checked;

    /// <summary>Folders and files whose changes make the image stale (see qemu/image/Kevlar.Kernel.csproj).</summary>
    private static readonly string[] SourceFolders =
        ["runtime/corlib", "runtime/metal", "runtime/Kevlar.Runtime", "drivers", "actors", "qemu/selftests", "qemu/image"];
    private static readonly string[] SourceFiles = ["qemu/build-image.sh"];
    private static readonly string[] SourceExtensions = [".cs", ".csproj", ".ld", ".props", ".targets"];

    public static string Root { get; } = FindRoot();
    public static string Path => System.IO.Path.Combine(Root, "qemu", "out", "kernel.elf");

    /// <summary>Makes sure the image exists and is current; throws with the build's output when it cannot be built.</summary>
    public static void EnsureBuilt()
    {
        lock (s_gate)
        {
            if (!s_checked)
            {
                s_checked = true;
                string? stale = StaleReason();
                if (stale != null) s_buildError = Build(stale);
            }
            if (s_buildError != null) throw new InvalidOperationException(s_buildError);
        }
    }

    /// <summary>Why the image must be rebuilt, or null when it is current.</summary>
    public static string? StaleReason()
    {
        if (!File.Exists(Path)) return "qemu/out/kernel.elf is missing";
        DateTime built = File.GetLastWriteTimeUtc(Path);
        var newer = SourceFolders.Select(f => System.IO.Path.Combine(Root, f)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => SourceExtensions.Contains(System.IO.Path.GetExtension(f)) && !IsBuildOutput(f))
            .Concat(SourceFiles.Select(f => System.IO.Path.Combine(Root, f)).Where(File.Exists))
            .FirstOrDefault(f => File.GetLastWriteTimeUtc(f) > built);
        return newer == null ? null : $"{System.IO.Path.GetRelativePath(Root, newer)} is newer than the image";
    }

    private static bool IsBuildOutput(string file)
    {
        string sep = System.IO.Path.DirectorySeparatorChar.ToString();
        return file.Contains(sep + "bin" + sep) || file.Contains(sep + "obj" + sep);
    }

    private static string? Build(string reason)
    {
        Console.WriteLine($"kevlar qemu tests: building the image ({reason})");
        var result = ProcessRunner.Run("bash", [System.IO.Path.Combine(Root, "qemu", "build-image.sh")], Root, TimeSpan.FromMinutes(10));
        if (result.ExitCode == 0 && File.Exists(Path)) return null;
        return $"qemu/build-image.sh failed (exit {result.ExitCode}, {reason}):\n{result.Output}";
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "qemu", "run-qemu.sh"))) return dir.FullName;
        throw new InvalidOperationException($"no qemu/run-qemu.sh above {AppContext.BaseDirectory}");
    }
}

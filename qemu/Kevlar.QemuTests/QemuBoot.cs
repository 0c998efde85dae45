// One boot of the real image through qemu/run-qemu.sh, and a cache so that
// several tests can check the same boot (a self-test run prints everything
// they look at). The ELF that booted is copied first, so the decoder reads
// the kernel that ran even if the image is rebuilt meanwhile.
using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Kevlar.QemuTests;

public sealed record QemuRun(int Smp, string Append, int ExitCode, string Log, TimeSpan Elapsed, string Elf)
{
    /// <summary>run-qemu.sh: 0 the kernel reported pass, 1 fail, 4 no verdict, 124 timeout.</summary>
    public const int Pass = 0, Fail = 1, NoVerdict = 4, Timeout = 124;

    public string[] Lines => Log.Replace("\r", "").Split('\n');

    /// <summary>The first match of <paramref name="pattern"/> in the log, or null.</summary>
    public Match? Find(string pattern)
    {
        var m = Regex.Match(Log, pattern, RegexOptions.Multiline);
        return m.Success ? m : null;
    }

    public string Describe()
        => $"run-qemu.sh --smp {Smp} --append \"{Append}\": exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- serial log ---\n{Log}--- end of log ---";
}

public static class QemuBoot
{
    private static readonly ConcurrentDictionary<(int, string, int, string), Lazy<QemuRun>> s_runs = new();

    /// <summary>Boots once per (smp, append, memory, machine) for the whole test run and returns that boot.</summary>
    public static QemuRun Cached(int smp, string append, int timeoutSeconds, int memMiB = 512, string machine = "pc")
        => s_runs.GetOrAdd((smp, append, memMiB, machine),
            _ => new Lazy<QemuRun>(() => Boot(smp, append, timeoutSeconds, memMiB, machine))).Value;

    /// <summary>Boots a copy of the image (so a rebuild during the run cannot change what the log describes).</summary>
    public static QemuRun Boot(int smp, string append, int timeoutSeconds, int memMiB = 512, string machine = "pc")
    {
        KernelImage.EnsureBuilt();
        string elf = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kevlar-{Environment.ProcessId}-{smp}-{memMiB}-{machine}-{Slug(append)}.elf");
        File.Copy(KernelImage.Path, elf, overwrite: true);
        string[] args =
        [
            System.IO.Path.Combine(KernelImage.Root, "qemu", "run-qemu.sh"),
            "--smp", smp.ToString(), "--mem", memMiB.ToString(), "--machine", machine, "--append", append,
            "--timeout", timeoutSeconds.ToString(), "--kernel", elf,
        ];
        var result = ProcessRunner.Run("bash", args, KernelImage.Root, TimeSpan.FromSeconds(timeoutSeconds + 30));
        return new QemuRun(smp, append, result.ExitCode, result.Output, result.Elapsed, elf);
    }

    private static string Slug(string s) => new(s.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}

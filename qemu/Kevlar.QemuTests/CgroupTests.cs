// cgroup v2 (qemu/user/cgroups): the C program cgroup and the BusyBox script
// cgroup-events.sh on the kernel, against Linux where this host allows it.
//
// The kernel run must print exactly the committed cgroup.expected, which is
// what Debian's own Linux kernel prints in the same QEMU machine (checked in
// every run: qemu/linux/oracle.sh). The host is usually a container
// that cannot mount cgroup2 at /sys/fs/cgroup, so natively the program uses the
// host's own cgroup2 mount (--find) inside a cgroup it makes, and prints
// "SKIP <check>: why" for what the host cannot run (the pids controller on a
// hybrid v1/v2 host, everything without cgroup2); every native line must be
// PASS or SKIP, and pairs with the kernel's line at the same place: the same
// PASS line, or PASS for a SKIP. The script runs natively on the host's cgroup2
// mount when there is one, and its output must equal the kernel's.
// cgroupstorm (the SMP suite's cgroup storms) has no native reference here at
// all (no pids controller on the host): the Linux guest's output is it.
using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class CgroupTests(ITestOutputHelper output)
{
    /// <summary>The C programs tested here rather than by UserProgramTests.</summary>
    public static readonly string[] Programs = ["cgroup", "cgroupstorm"];

    private const int TimeoutSeconds = 180;
    private static string SourceDir => Path.Combine(UserRun.SourceDir, "cgroups");

    // One boot of Linux runs both programs for the class's tests.
    private static readonly Lazy<UserRunResult[]> s_linux = new(() =>
    {
        UserRun.EnsureProgramsBuilt();
        return UserRun.Linux([[Path.Combine(UserRun.ProgramDir, "cgroup")], [Path.Combine(UserRun.ProgramDir, "cgroupstorm")]], 400);
    });

    [Fact]
    public void Cgroup_OnLinuxInQemu_PrintsExpected()
    {
        UserRunResult linux = s_linux.Value[0];
        output.WriteLine(linux.Describe());
        string[] expected = File.ReadAllLines(Path.Combine(SourceDir, "cgroup.expected"));
        if (linux.ExitCode != 0 || UserRun.Diff(expected, linux.Lines).Length != 0)
        {
            // Now and then under CI's load the shared boot's run came back broken (cause unrecorded, as
            // for cgroupstorm below): run it once more alone before calling the reference broken.
            output.WriteLine($"cgroup on Linux exited {linux.ExitCode} or differed; running it again alone");
            linux = UserRun.Linux([[Path.Combine(UserRun.ProgramDir, "cgroup")]], 400)[0];
            output.WriteLine(linux.Describe());
        }
        Assert.True(linux.ExitCode == 0, $"cgroup on Linux exited {linux.ExitCode}: the reference is broken");
        string diff = UserRun.Diff(expected, linux.Lines);
        Assert.True(diff.Length == 0, $"cgroup.expected is not what Linux prints (native = expected here, kernel = Linux):\n{diff}");
    }

    private static bool AllPass(UserRunResult r) => r.ExitCode == 0 && r.Lines.Length > 0 && r.Lines.All(l => l.StartsWith("PASS "));

    [Fact]
    public void CgroupStorm_OnKernel_SameAsLinuxInQemu()
    {
        UserRunResult linux = s_linux.Value[1];
        output.WriteLine(linux.Describe());
        if (!AllPass(linux))
        {
            // Once in a CI run the reference came back short under load (the cause went unrecorded):
            // run it once more alone, and if it fails again say which lines.
            output.WriteLine($"cgroupstorm on Linux exited {linux.ExitCode} with {linux.Lines.Count(l => !l.StartsWith("PASS "))} other lines; running it again");
            linux = UserRun.Linux([[Path.Combine(UserRun.ProgramDir, "cgroupstorm")]], 400)[0];
            output.WriteLine(linux.Describe());
        }
        Assert.True(AllPass(linux), $"cgroupstorm on Linux exited {linux.ExitCode} (the reference is broken):\n{string.Join("\n", linux.Lines.Where(l => !l.StartsWith("PASS ")).TakeLast(20))}");
        var kernel = UserRun.Kernel([UserRun.ProgramDir], "/cgroupstorm", [], TimeoutSeconds);
        output.WriteLine(kernel.Describe());
        Assert.True(UserRun.Unfinished(kernel) == null, $"cgroupstorm on the kernel: {UserRun.Unfinished(kernel)} (exit {kernel.ExitCode})");
        string diff = UserRun.Diff(linux.Lines, kernel.Lines);
        Assert.True(diff.Length == 0, $"the kernel's output differs from Linux's (native = Linux here):\n{diff}");
        Assert.Equal(0, kernel.ExitCode);
    }

    [Fact]
    public void Cgroup_OnKernel_MatchesExpectedAndLinux()
    {
        UserRun.EnsureProgramsBuilt();
        string[] expected = File.ReadAllLines(Path.Combine(SourceDir, "cgroup.expected"));
        var native = UserRun.Native(Path.Combine(UserRun.ProgramDir, "cgroup"), ["--find"], 60);
        output.WriteLine(native.Describe());
        Assert.True(native.ExitCode == 0, $"natively cgroup exited {native.ExitCode}: the reference is broken");
        var other = native.Lines.Where(l => !l.StartsWith("PASS ") && !l.StartsWith("SKIP ")).ToList();
        Assert.True(other.Count == 0, $"natively, lines other than PASS and SKIP:\n{string.Join("\n", other)}");

        var kernel = UserRun.Kernel([UserRun.ProgramDir], "/cgroup", [], TimeoutSeconds);
        output.WriteLine(kernel.Describe());
        string? unfinished = UserRun.Unfinished(kernel);
        Assert.True(unfinished == null, $"cgroup on the kernel: {unfinished} (exit {kernel.ExitCode})");
        string diff = UserRun.Diff(expected, kernel.Lines);
        Assert.True(diff.Length == 0, $"the kernel's output differs from cgroup.expected (native = expected here):\n{diff}");
        Assert.Equal(0, kernel.ExitCode);
        string paired = UserRun.Diff(native.Lines.Select(AsKernelLine).ToList(), kernel.Lines);
        Assert.True(paired.Length == 0, $"the kernel's output differs from Linux's where the host ran the check:\n{paired}");
        output.WriteLine($"{native.Lines.Count(l => l.StartsWith("PASS "))} of {kernel.Lines.Length} checks also ran natively");
    }

    [Fact]
    public void Script_OnKernel_SameAsLinux()
    {
        string script = File.ReadAllText(Path.Combine(SourceDir, "cgroup-events.sh"));
        string root = Path.Combine(Path.GetTempPath(), $"kevlar-cgroup-{Environment.ProcessId}");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/busybox", Path.Combine(root, "bin", "busybox"), overwrite: true);
        try
        {
            var kernel = UserRun.Kernel([root], "/bin/busybox", ["sh", "-c", script], TimeoutSeconds);
            output.WriteLine(kernel.Describe());
            Assert.True(UserRun.Unfinished(kernel) == null, $"busybox on the kernel: {UserRun.Unfinished(kernel)}");
            string[] want =
            [
                "events: populated 0", "events: frozen 0", "populated=1", "frozen=0", "0::/kevlar-sh-test",
                "procs: self", "populated 0", "removed",
            ];
            Assert.Equal(want, kernel.Lines);
            string? mount = HostCgroup2();
            if (mount == null)
            {
                output.WriteLine("no cgroup2 mount on this host: the script ran on the kernel only");
                return;
            }
            var native = UserRun.Native("/bin/busybox", ["sh", "-c", script, "sh", mount], 60);
            output.WriteLine(native.Describe());
            Assert.Equal(kernel.Lines, native.Lines);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // Linux's line where the host skipped the check: the PASS the kernel must print.
    private static string AsKernelLine(string native)
    {
        if (!native.StartsWith("SKIP ")) return native;
        int colon = native.IndexOf(": ", StringComparison.Ordinal);
        return "PASS " + native[5..(colon < 0 ? native.Length : colon)];
    }

    // The host's cgroup2 mount point, if it has one whose root is this process's cgroup's root.
    private static string? HostCgroup2()
    {
        if (!File.Exists("/proc/self/mounts") || !File.ReadAllText("/proc/self/cgroup").Contains("0::/\n")) return null;
        foreach (string line in File.ReadAllLines("/proc/self/mounts"))
        {
            string[] f = line.Split(' ');
            if (f.Length > 2 && f[2] == "cgroup2") return f[1];
        }
        return null;
    }
}

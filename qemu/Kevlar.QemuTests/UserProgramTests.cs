// qemu/user's C programs (see qemu/user/README.md), each run natively on this
// host and on the kernel (with qemu/out/user at the initramfs root, so
// program NAME is /NAME): the native run must give its expected exit status
// and only PASS lines, and the kernel run the same status and the same lines.
// Only the programs in Passing run here; a program goes there once the
// kernel passes it. NotYetPassing names the others, so that every program is
// accounted for (EveryProgram_IsListedOnce); they are not run. CgroupTests
// runs the cgroup program (its host checks differ from the kernel's).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class UserProgramTests(ITestOutputHelper output)
{
    private const int NativeTimeoutSeconds = 60;
    private const int KernelTimeoutSeconds = 120;

    /// <summary>Programs the kernel passes, with the exit status Linux gives them (139 SIGSEGV, 132 SIGILL, 136 SIGFPE).</summary>
    public static readonly (string Name, int ExitCode)[] PassingPrograms =
    [
        ("process", 0),
        ("memory", 0),
        ("tls", 0),
        ("segv", 139),
        ("segv-unmapped", 139),
        ("segv-readonly", 139),
        ("segv-text", 139),
        ("segv-stack", 139),
        ("ill", 132),
        ("fpe", 136),
        ("exit-status", 42),
        ("time", 0),
        ("vdso", 0),
        ("uts", 0),
        ("badinput", 0),
        ("signals", 0),
        ("sigterm-self", 143),
        ("threads", 0),
        ("affinity", 0),
        ("storm", 0),
        ("execbad", 0),
        ("nproc", 0),
        ("spinners", 0),
        ("remap", 0),
        ("memlimits", 0),
        ("threadscale", 0),
        ("forkstorm", 0),
        ("pipestorm", 0),
        ("wakeups", 0),
        ("initloop", 0),
        ("statx", 0),
        ("protnone", 0),
        ("jobcontrol", 0),
        ("sharedmem", 0),
        ("pipes", 0),
        ("files", 0),
        ("pty", 0),
        ("copy", 0),
        ("events", 0),
        ("fsbad", 0),
        ("fsstorm", 0),
        ("killwaits", 0),
        ("groupkill", 0),
        ("tmpfsfull", 0),
        ("tmpfile", 0),
        ("pivot", 0),
        ("mntns", 0),
        ("cgroupns", 0),
        ("threaded", 0),
        ("nsfiles", 0),
        ("pidns", 0),
        ("fpu", 0),
        ("procpid", 0),
        ("kernelnames", 0),
        ("itimer", 0),
        ("locks", 0),
        ("unix", 0),
        ("udp", 0),
        ("tcp", 0),
        ("procnet", 0),
        ("ifaces", 0),
        ("netlink", 0),
        ("bulk", 0),
        ("echo", 0),
        ("tcpchurn", 0),
        ("unixgc", 0),
    ];

    public static TheoryData<string, int> Passing
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var (name, exit) in PassingPrograms) data.Add(name, exit);
            return data;
        }
    }

    /// <summary>Programs with checks the kernel fails today (missing syscalls), not run here; see qemu/user/README.md.</summary>
    public static readonly string[] NotYetPassing = [];

    /// <summary>Arguments a program is run with (the same natively and on the kernel).</summary>
    private static readonly Dictionary<string, string[]> s_args = new()
    {
        ["process"] = ["alpha", "beta gamma", ""],
    };

    [Theory]
    [MemberData(nameof(Passing))]
    public void Program_OnKernel_SameStatusAndLinesAsLinux(string name, int expectedExit)
    {
        UserRun.EnsureProgramsBuilt();
        string[] args = s_args.TryGetValue(name, out var a) ? a : [];
        var native = UserRun.Native(Path.Combine(UserRun.ProgramDir, name), args, NativeTimeoutSeconds);
        output.WriteLine(native.Describe());
        Assert.True(native.ExitCode == expectedExit, $"natively {name} exited {native.ExitCode}, expected {expectedExit}: the reference is broken; "
            + "its lines other than PASS: " + string.Join(" | ", native.Lines.Where(l => !l.StartsWith("PASS "))));
        AssertOnlyPassLines(native, "natively");

        var kernel = UserRun.Kernel([UserRun.ProgramDir], "/" + name, args, KernelTimeoutSeconds);
        output.WriteLine(kernel.Describe());
        string? unfinished = UserRun.Unfinished(kernel);
        Assert.True(unfinished == null, $"{name} on the kernel: {unfinished} (exit {kernel.ExitCode})");
        var failed = kernel.Lines.Where(l => l.StartsWith("FAIL ")).ToList();
        Assert.True(failed.Count == 0, $"{name} on the kernel failed {failed.Count} check(s):\n{string.Join("\n", failed)}");
        string diff = UserRun.Diff(native.Lines, kernel.Lines);
        Assert.True(diff.Length == 0, $"{name}: the kernel's output differs from Linux's:\n{diff}");
        Assert.True(kernel.ExitCode == native.ExitCode, $"{name} exited {kernel.ExitCode} on the kernel, {native.ExitCode} natively");
    }

    [Fact]
    public void EveryProgram_IsListedOnce()
    {
        var sources = Directory.EnumerateFiles(UserRun.SourceDir, "*.c", SearchOption.AllDirectories)
            .Select(f => Path.GetFileNameWithoutExtension(f)!).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var listed = PassingPrograms.Select(p => p.Name).Concat(NotYetPassing).Concat(CgroupTests.Programs).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(sources, listed);
    }

    private static void AssertOnlyPassLines(UserRunResult run, string where)
    {
        var other = run.Lines.Where(l => !l.StartsWith("PASS ")).ToList();
        Assert.True(other.Count == 0, $"{where}, lines other than PASS:\n{string.Join("\n", other.Take(20))}");
        Assert.True(run.Lines.Length > 0, $"{where}, the program printed no PASS line");
    }
}

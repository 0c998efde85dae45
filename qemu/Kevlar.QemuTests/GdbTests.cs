// Source-level gdb (qemu/gdb-batch.sh): the image carries ilc's DWARF (-g, from
// the assemblies' portable PDBs), so a hardware breakpoint on a kernel function
// stops with its C# file and line, the backtrace runs through the syscall
// dispatch and the scheduler with their files and lines, the arguments show
// their fields, and the program, once gdb detaches, runs to its end.
using System;
using Xunit;
using Xunit.Abstractions;

namespace Kevlar.QemuTests;

public class GdbTests(ITestOutputHelper output)
{
    [Fact]
    public void Breakpoint_OnASyscall_ShowsCSharpLinesAndKernelFrames()
    {
        UserRun.EnsureProgramsBuilt();
        KernelImage.EnsureBuilt();
        var r = ProcessRunner.Run("bash", [System.IO.Path.Combine(KernelImage.Root, "qemu", "gdb-batch.sh"), "--smp", "2", "--add", UserRun.ProgramDir, "--", "/pidns"],
            KernelImage.Root, TimeSpan.FromMinutes(5));
        output.WriteLine(r.Output);
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"hit Breakpoint 1, Kevlar_Process_Kevlar_Process_Syscalls_Ids__Getpid \(t=\.\.\., a=\.\.\.\) at \S+/actors/process/Syscalls/Ids\.cs:\d+", r.Output);
        Assert.Matches(@"#1 .* in Kevlar_Process_Kevlar_Process_Syscalls_SyscallTable__Dispatch .* at \S+/SyscallTable\.cs:\d+", r.Output);
        Assert.Matches(@"#\d .* in Kevlar_Kernel_Kevlar_Runtime_Scheduling_Scheduler__Deliver .* at \S+/Scheduler\.cs:\d+", r.Output);
        Assert.Matches(@"\nt = @0x[0-9a-f]+: \{.*Tid = \d+", r.Output);
        Assert.Contains("=== run exit 0", r.Output);
        Assert.Contains("PASS nesting-stops-at-32-enospc", r.Output);
    }
}

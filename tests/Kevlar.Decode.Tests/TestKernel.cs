// TestKernel: assembles and links data/kernel.S once per test run (binutils
// `as` and `ld`), and names the addresses its fixed layout gives.
using System;
using System.Diagnostics;
using System.IO;
using Kevlar.Elf;
using Xunit;

namespace Kevlar.Decode.Tests;

/// <summary>The test ELF and its known addresses.</summary>
public static class TestKernel
{
    public const ulong Start = 0x100000;
    public const ulong ReturnIntoStart = 0x100005;
    public const ulong Run = 0x100008;
    public const ulong ReturnAfterTrigger = 0x100018;
    public const ulong ReturnAfterHandler = 0x10001E;
    public const ulong Trigger = 0x100020;
    public const ulong FaultSite = 0x100039;
    public const ulong Concat = 0x100043;
    public const ulong Handler = 0x101000;
    public const string TriggerName = "Kevlar_Kernel_Kevlar_Drivers_X86_64_Panic__Trigger";
    public const string RunName = "Kevlar_Kernel_Kevlar_Boot_Main__Run";
    public const string ConcatName = "S_P_CoreLib_System_String__Concat";

    private static readonly Lazy<string> s_path = new(Build);

    /// <summary>Path of the linked ELF.</summary>
    public static string Path => s_path.Value;

    /// <summary>A fresh copy of the ELF's bytes (tests may corrupt it).</summary>
    public static byte[] Bytes() => File.ReadAllBytes(Path);

    /// <summary>The parsed ELF.</summary>
    public static ElfFile Load()
    {
        Assert.Equal(ElfError.None, ElfFile.TryParse(Bytes(), out ElfFile? elf));
        return elf!;
    }

    private static string Build()
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kevlar-decode-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        string source = System.IO.Path.Combine(AppContext.BaseDirectory, "data", "kernel.S");
        string obj = System.IO.Path.Combine(dir, "kernel.o");
        string elf = System.IO.Path.Combine(dir, "kernel.elf");
        RunTool("as", "--64", "-o", obj, source);
        RunTool("ld", "-m", "elf_x86_64", "-static", "-nostdlib", "-Ttext=0x100000", "-e", "_start", "-o", elf, obj);
        return elf;
    }

    private static void RunTool(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + tool + " (binutils installed?)");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(tool + " failed: " + errors);
    }
}

// DecodeCommand: the command line of the panic decoder.
//   Kevlar.Decode LOG [--elf PATH] [--no-elf]
// LOG is a serial log ("-" for stdin); PATH defaults to qemu/out/kernel.elf
// (relative to the current directory or any parent). Exit codes: 0 a panic
// was decoded, 2 the log holds no panic, 1 an error (missing log or ELF, bad
// arguments, unreadable ELF).
using System;
using System.Collections.Generic;
using System.IO;
using Kevlar.Elf;

namespace Kevlar.Decode;

/// <summary>Entry point logic, testable with in-memory writers.</summary>
public static class DecodeCommand
{
    /// <summary>Default ELF path, relative to the repository root.</summary>
    public const string DefaultElf = "qemu/out/kernel.elf";
    public const int ExitDecoded = 0;
    public const int ExitError = 1;
    public const int ExitNoPanic = 2;

    private const string Usage = "usage: Kevlar.Decode LOG [--elf PATH] [--no-elf]\n"
        + "  LOG       serial log holding a KEVLAR PANIC report ('-' reads stdin)\n"
        + "  --elf     kernel ELF for symbols (default " + DefaultElf + ")\n"
        + "  --no-elf  decode without symbols\n"
        + "exit: 0 decoded, 2 no panic in the log, 1 error";

    /// <summary>Runs the decoder; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
    {
        if (!TryParseArgs(args, out string? logPath, out string? elfPath, out bool noElf, out string? argError))
        {
            if (argError == null)
            {
                stdout.WriteLine(Usage);
                return ExitDecoded;
            }
            stderr.WriteLine(argError);
            stderr.WriteLine(Usage);
            return ExitError;
        }
        string log;
        try
        {
            log = logPath == "-" ? (stdin ?? Console.In).ReadToEnd() : File.ReadAllText(logPath!);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            stderr.WriteLine("error: cannot read log " + logPath + ": " + e.Message);
            return ExitError;
        }
        List<PanicReport> reports = PanicLogParser.Parse(log);
        if (reports.Count == 0)
        {
            stdout.WriteLine("no KEVLAR PANIC report in " + logPath);
            return ExitNoPanic;
        }
        ElfFile? elf = null;
        if (!noElf)
        {
            string path = elfPath ?? FindDefaultElf();
            ElfError error = ElfFile.TryLoad(path, out elf);
            if (error != ElfError.None)
            {
                stderr.WriteLine("error: cannot use ELF " + path + ": " + Describe(error) + " (--no-elf decodes without symbols)");
                return ExitError;
            }
        }
        var printer = new ReportPrinter(new Symbolizer(elf), stdout);
        for (int i = 0; i < reports.Count; i++)
        {
            if (i > 0)
                stdout.WriteLine();
            printer.Print(reports[i]);
        }
        return ExitDecoded;
    }

    private static bool TryParseArgs(string[] args, out string? log, out string? elf, out bool noElf, out string? error)
    {
        log = null;
        elf = null;
        noElf = false;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "-h" || a == "--help")
                return false;
            if (a == "--no-elf")
                noElf = true;
            else if (a == "--elf" && i + 1 < args.Length)
                elf = args[++i];
            else if (a.StartsWith("--elf=", StringComparison.Ordinal))
                elf = a.Substring("--elf=".Length);
            else if (a.StartsWith("--", StringComparison.Ordinal) || log != null)
                error = "error: unexpected argument " + a;
            else
                log = a;
        }
        if (error == null && log == null)
            error = "error: no LOG given";
        return error == null;
    }

    /// <summary>qemu/out/kernel.elf under the current directory or the nearest parent that has it.</summary>
    private static string FindDefaultElf()
    {
        string? dir = Directory.GetCurrentDirectory();
        while (dir != null)
        {
            string candidate = Path.Combine(dir, DefaultElf);
            if (File.Exists(candidate))
                return candidate;
            dir = Path.GetDirectoryName(dir);
        }
        return DefaultElf;
    }

    private static string Describe(ElfError error)
    {
        switch (error)
        {
            case ElfError.IoError: return "file not found or unreadable";
            case ElfError.TooSmall: return "too small to be ELF";
            case ElfError.BadMagic: return "not an ELF file";
            case ElfError.NotElf64: return "not ELF64";
            case ElfError.NotLittleEndian: return "not little-endian";
            case ElfError.BadHeader: return "malformed ELF header";
            case ElfError.HeaderTableOutOfRange: return "section or program header table outside the file";
            case ElfError.SectionOutOfRange: return "a section lies outside the file";
            case ElfError.BadSymbolTable: return "malformed symbol table";
            default: return error.ToString();
        }
    }
}

// ReportPrinter: writes one decoded panic — header, fault summary, rip and
// registers symbolized, disassembly with the faulting instruction marked,
// and the best-effort backtrace.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Kevlar.Decode;

/// <summary>Formats a <see cref="PanicReport"/> for a human.</summary>
public sealed class ReportPrinter
{
    private const int PageFaultVector = 14;
    private readonly Symbolizer _symbols;
    private readonly TextWriter _out;

    public ReportPrinter(Symbolizer symbols, TextWriter output)
    {
        _symbols = symbols;
        _out = output;
    }

    /// <summary>Writes every section of the decoded report.</summary>
    public void Print(PanicReport report)
    {
        PrintHeader(report);
        PrintRegisters(report);
        PrintCode(report);
        PrintBacktrace(report);
        PrintLines("cpus:", report.CpuStates);
        PrintLines("recent syscalls per cpu, oldest first:", report.RecentSyscalls);
        if (report.UnparsedLines.Count > 0)
        {
            _out.WriteLine();
            _out.WriteLine("lines inside the report that were not understood:");
            foreach (string line in report.UnparsedLines)
                _out.WriteLine("  " + line);
        }
    }

    private void PrintLines(string heading, List<string> lines)
    {
        if (lines.Count == 0) return;
        _out.WriteLine();
        _out.WriteLine(heading);
        foreach (string line in lines)
            _out.WriteLine((line.StartsWith("cpu ", StringComparison.Ordinal) ? "  " : "    ") + line);
    }

    private void PrintHeader(PanicReport report)
    {
        _out.WriteLine("=== " + report.HeaderLine);
        if (!report.Complete)
            _out.WriteLine("(report cut off: no \"" + PanicLogParser.EndMarker + "\" line)");
        if (report.Reason.Length > 0)
            _out.WriteLine("reason: " + report.Reason);
        string kind = report.Vector < 0 ? "software panic" : "exception " + report.Vector;
        _out.WriteLine("fault:  " + kind + (report.VectorName.Length > 0 ? " (" + report.VectorName + ")" : string.Empty)
            + " on cpu " + report.Cpu + ", error 0x" + report.ErrorCode.ToString("x")
            + (report.Vector == PageFaultVector ? " " + PageFaultBits(report.ErrorCode) : string.Empty));
        if (report.Vector == PageFaultVector && report.TryGetRegister("cr2", out ulong cr2))
            _out.WriteLine("cr2:    " + Symbolizer.Hex(cr2) + Suffix(cr2));
        if (report.TryGetRegister("rip", out ulong rip))
            _out.WriteLine("rip:    " + Symbolizer.Hex(rip) + "  " + (_symbols.Describe(rip) ?? "(no symbol)"));
    }

    /// <summary>The #PF error code bits (Intel SDM vol. 3 §4.7).</summary>
    public static string PageFaultBits(ulong error)
    {
        var parts = new List<string>
        {
            (error & 1) != 0 ? "protection violation" : "not present",
            (error & 2) != 0 ? "write" : "read",
            (error & 4) != 0 ? "user" : "kernel",
        };
        if ((error & 8) != 0)
            parts.Add("reserved bit set");
        if ((error & 16) != 0)
            parts.Add("instruction fetch");
        if ((error & 32) != 0)
            parts.Add("protection key");
        if ((error & 64) != 0)
            parts.Add("shadow stack");
        return "(" + string.Join(", ", parts) + ")";
    }

    private void PrintRegisters(PanicReport report)
    {
        if (report.Registers.Count == 0)
            return;
        _out.WriteLine();
        _out.WriteLine("registers:");
        var line = new StringBuilder();
        for (int i = 0; i < report.Registers.Count; i++)
        {
            line.Append("  ").Append(report.Registers[i].Key.PadLeft(6)).Append('=').Append(Symbolizer.Hex(report.Registers[i].Value));
            if (i % 4 == 3 || i == report.Registers.Count - 1)
            {
                _out.WriteLine(line.ToString());
                line.Clear();
            }
        }
        bool any = false;
        foreach (KeyValuePair<string, ulong> r in report.Registers)
        {
            if (r.Key == "rip" || !_symbols.IsCode(r.Value))
                continue;
            if (!any)
                _out.WriteLine("registers pointing into code:");
            any = true;
            _out.WriteLine("  " + r.Key.PadLeft(6) + "  " + Symbolizer.Hex(r.Value) + "  " + (_symbols.Describe(r.Value) ?? "(no symbol)"));
        }
    }

    private void PrintCode(PanicReport report)
    {
        if (!report.TryGetRegister("rip", out ulong rip))
            return;
        byte[] code = report.Code.ToArray();
        ulong codeAddress = report.CodeAddress;
        _out.WriteLine();
        if (code.Length == 0 && _symbols.Elf != null)
        {
            codeAddress = rip >= 16 ? rip - 16 : 0;
            code = _symbols.Elf.ReadAt(codeAddress, 48).ToArray();
            if (code.Length == 0)
            {
                codeAddress = rip;
                code = _symbols.Elf.ReadAt(rip, 32).ToArray();
            }
            _out.WriteLine("code (" + code.Length + " bytes from the ELF: the report had none):");
        }
        else
        {
            _out.WriteLine("code (" + code.Length + " bytes at " + Symbolizer.Hex(codeAddress) + "):");
        }
        if (code.Length == 0)
        {
            _out.WriteLine("  (none)");
            return;
        }
        var disassembler = new CodeDisassembler(_symbols);
        if (disassembler.ChooseStart(code, codeAddress, rip) < 0)
            _out.WriteLine("  (no decoding lands on rip " + Symbolizer.Hex(rip) + "; shown from the first byte)");
        foreach (DisassembledLine line in disassembler.Disassemble(code, codeAddress, rip))
            _out.WriteLine(FormatLine(line));
        WarnIfElfDiffers(code, codeAddress);
    }

    /// <summary>"  => 0x...  48 89 e5        mov rbp, rsp".</summary>
    public static string FormatLine(DisassembledLine line)
    {
        var hex = new StringBuilder();
        foreach (byte b in line.Bytes)
            hex.Append(b.ToString("x2")).Append(' ');
        return (line.IsFault ? "  => " : "     ") + Symbolizer.Hex(line.Address) + "  " + hex.ToString().PadRight(33) + line.Text;
    }

    /// <summary>Code bytes that differ from the ELF usually mean the ELF is not the kernel that ran.</summary>
    private void WarnIfElfDiffers(byte[] code, ulong codeAddress)
    {
        if (_symbols.Elf == null)
            return;
        ReadOnlySpan<byte> elfBytes = _symbols.Elf.ReadAt(codeAddress, code.Length);
        for (int i = 0; i < elfBytes.Length; i++)
        {
            if (elfBytes[i] != code[i])
            {
                _out.WriteLine("  warning: byte at " + Symbolizer.Hex(codeAddress + (ulong)i)
                    + " differs from the ELF: is this the kernel that ran?");
                return;
            }
        }
    }

    private void PrintBacktrace(PanicReport report)
    {
        var frames = new StackScanner(_symbols).Scan(report);
        _out.WriteLine();
        _out.WriteLine("backtrace (best effort: stack qwords that follow a call; stale frames possible):");
        if (report.Stack.Count == 0)
            _out.WriteLine("  (no stack in the report)");
        foreach (BacktraceFrame frame in frames)
        {
            string text = "  #" + frame.Index.ToString().PadRight(3) + Symbolizer.Hex(frame.Address) + "  " + (_symbols.Describe(frame.Address) ?? "(no symbol)");
            if (frame.StackSlot is ulong slot)
                text += "  [stack " + Symbolizer.Hex(slot) + "] after " + frame.CallText;
            _out.WriteLine(text);
        }
    }

    private string Suffix(ulong address)
    {
        string? name = _symbols.Function(address) ?? _symbols.DataObject(address);
        return name == null ? string.Empty : "  " + name;
    }
}

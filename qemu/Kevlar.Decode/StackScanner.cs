// StackScanner: a best-effort backtrace from the stack qwords of a panic
// report. Without frame pointers or unwind tables, a qword is taken as a
// return address when it points into .text right after a call instruction
// (checked by decoding the ELF's bytes before it). Stale return addresses
// left on the stack can appear too; the report says so.
using System;
using System.Collections.Generic;
using Iced.Intel;
using Kevlar.Elf;

namespace Kevlar.Decode;

/// <summary>Finds return addresses among stack qwords.</summary>
public sealed class StackScanner
{
    /// <summary>Call lengths tried, most likely first: E8 rel32, then FF /2 forms with and without REX.</summary>
    private static readonly int[] CallLengths = { 5, 2, 3, 6, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

    private readonly Symbolizer _symbols;
    private readonly IntelFormatter _formatter;

    public StackScanner(Symbolizer symbols)
    {
        _symbols = symbols;
        _formatter = ElfSymbolResolver.CreateFormatter(symbols);
    }

    /// <summary>Frame 0 is rip; then each stack qword that follows a call, in stack order.</summary>
    public List<BacktraceFrame> Scan(PanicReport report)
    {
        var frames = new List<BacktraceFrame>();
        if (report.TryGetRegister("rip", out ulong rip))
            frames.Add(new BacktraceFrame(0, rip, null, null));
        for (int i = 0; i < report.Stack.Count; i++)
        {
            ulong value = report.Stack[i];
            if (_symbols.IsCode(value) && TryFindCallBefore(value, out string call))
                frames.Add(new BacktraceFrame(frames.Count, value, report.StackAddress + 8 * (ulong)i, call));
        }
        return frames;
    }

    /// <summary>True when the ELF's bytes just before <paramref name="returnAddress"/> decode as a call ending there.</summary>
    public bool TryFindCallBefore(ulong returnAddress, out string callText)
    {
        callText = string.Empty;
        ElfFile? elf = _symbols.Elf;
        if (elf == null)
            return false;
        foreach (int length in CallLengths)
        {
            if (returnAddress < (ulong)length)
                continue;
            ulong at = returnAddress - (ulong)length;
            byte[] bytes = elf.ReadAt(at, length).ToArray();
            if (bytes.Length != length)
                continue;
            var decoder = Decoder.Create(64, new ByteArrayCodeReader(bytes), at);
            decoder.Decode(out Instruction instr);
            if (instr.IsInvalid || instr.Length != length)
                continue;
            if (instr.FlowControl != FlowControl.Call && instr.FlowControl != FlowControl.IndirectCall)
                continue;
            var output = new StringOutput();
            _formatter.Format(instr, output);
            callText = output.ToStringAndReset();
            return true;
        }
        return false;
    }
}

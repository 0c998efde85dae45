// PanicReport: one "KEVLAR PANIC ... KEVLAR PANIC END" block as parsed from
// the serial log, before any symbolization.
using System.Collections.Generic;

namespace Kevlar.Decode;

/// <summary>The fields of one panic report.</summary>
public sealed class PanicReport
{
    /// <summary>The header line as the kernel wrote it (CR and leading serial noise removed).</summary>
    public string HeaderLine { get; set; } = string.Empty;

    /// <summary>CPU index from "cpu=".</summary>
    public int Cpu { get; set; } = -1;

    /// <summary>Exception vector, or -1 for a software panic (assertion).</summary>
    public int Vector { get; set; } = -1;

    /// <summary>The text in parentheses after the vector, e.g. "#PF page fault" or "assert".</summary>
    public string VectorName { get; set; } = string.Empty;

    /// <summary>Exception error code (0 when the vector pushes none).</summary>
    public ulong ErrorCode { get; set; }

    /// <summary>Free text after "reason:", or empty.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>Registers in report order, names lower case (rip, rsp, ..., cr2).</summary>
    public List<KeyValuePair<string, ulong>> Registers { get; } = new();

    /// <summary>Address of <see cref="Code"/>[0]; meaningful when Code is non-empty.</summary>
    public ulong CodeAddress { get; set; }

    /// <summary>Instruction bytes around rip (may be empty when unreadable).</summary>
    public List<byte> Code { get; } = new();

    /// <summary>Address of <see cref="Stack"/>[0]; meaningful when Stack is non-empty.</summary>
    public ulong StackAddress { get; set; }

    /// <summary>Qwords read upward from rsp.</summary>
    public List<ulong> Stack { get; } = new();

    /// <summary>True when the END line was seen (false: the log was cut off).</summary>
    public bool Complete { get; set; }

    /// <summary>The per-CPU state lines ("cpu 1: in the kernel, ... running thread 2, holds ...").</summary>
    public List<string> CpuStates { get; } = new();

    /// <summary>The per-CPU recent-syscall lines ("cpu 1:" headings, then "pid P tid T nr N name (...) = r").</summary>
    public List<string> RecentSyscalls { get; } = new();

    /// <summary>Lines inside the block that did not parse, kept for the reader.</summary>
    public List<string> UnparsedLines { get; } = new();

    /// <summary>The register named <paramref name="name"/>, if reported.</summary>
    public bool TryGetRegister(string name, out ulong value)
    {
        foreach (KeyValuePair<string, ulong> r in Registers)
        {
            if (r.Key == name)
            {
                value = r.Value;
                return true;
            }
        }
        value = 0;
        return false;
    }
}

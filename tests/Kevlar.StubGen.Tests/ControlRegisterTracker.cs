// A tiny symbolic evaluator over straight-line code: follows what each
// general register holds (a constant, or a control register / MSR read with
// bits set and cleared since) and records what every write to a control
// register or MSR puts there. Enough to check "CR0.MP set, EM clear" without
// matching instruction bytes.
using System.Collections.Generic;
using Iced.Intel;

namespace Kevlar.StubGen.Tests;

/// <summary>What a register holds: a known constant, or the value read from <see cref="Source"/> with bits changed.</summary>
public sealed record TrackedValue(string? Source, ulong Set, ulong Clear, ulong? Constant)
{
    public bool SetsBits(ulong bits) => Constant is ulong c ? (c & bits) == bits : (Set & bits) == bits;
    public bool ClearsBits(ulong bits) => Constant is ulong c ? (c & bits) == 0 : (Clear & bits) == bits;
}

public sealed class ControlRegisterTracker
{
    private readonly Dictionary<Register, TrackedValue> _regs = new();

    /// <summary>Writes in program order: target ("cr0", "cr3", "cr4", "msr:c0000080") and the value written.</summary>
    public List<(string Target, TrackedValue Value)> Writes { get; } = new();

    public static ControlRegisterTracker Run(IEnumerable<Instruction> code)
    {
        var t = new ControlRegisterTracker();
        foreach (var i in code) t.Step(i);
        return t;
    }

    /// <summary>The last value written to <paramref name="target"/>, or null.</summary>
    public TrackedValue? LastWrite(string target)
    {
        for (int k = Writes.Count - 1; k >= 0; k--)
            if (Writes[k].Target == target) return Writes[k].Value;
        return null;
    }

    private void Step(Instruction i)
    {
        Register dst = i.OpCount > 0 && i.Op0Kind == OpKind.Register ? i.Op0Register : Register.None;
        Register src = i.OpCount > 1 && i.Op1Kind == OpKind.Register ? i.Op1Register : Register.None;
        switch (i.Mnemonic)
        {
            case Mnemonic.Mov when dst.IsCR():
                Writes.Add((Name(dst), Get(src)));
                break;
            case Mnemonic.Mov when src.IsCR():
                _regs[Full(dst)] = new TrackedValue(Name(src), 0, 0, null);
                break;
            case Mnemonic.Mov when dst.IsGPR() && IsImmediate(i.Op1Kind):
                _regs[Full(dst)] = new TrackedValue(null, 0, 0, i.GetImmediate(1));
                break;
            case Mnemonic.Xor when dst.IsGPR() && src == dst:
                _regs[Full(dst)] = new TrackedValue(null, 0, 0, 0);
                break;
            case Mnemonic.Or when dst.IsGPR() && IsImmediate(i.Op1Kind):
                _regs[Full(dst)] = Or(Get(dst), i.GetImmediate(1));
                break;
            case Mnemonic.And when dst.IsGPR() && IsImmediate(i.Op1Kind):
                _regs[Full(dst)] = And(Get(dst), i.GetImmediate(1));
                break;
            case Mnemonic.Rdmsr:
                _regs[Register.RAX] = new TrackedValue(MsrName(), 0, 0, null);
                _regs.Remove(Register.RDX);
                break;
            case Mnemonic.Wrmsr:
                Writes.Add((MsrName(), Get(Register.RAX)));
                break;
            default:
                if (dst.IsGPR()) _regs.Remove(Full(dst));
                break;
        }
    }

    private string MsrName()
        => Get(Register.RCX).Constant is ulong msr ? $"msr:{msr:x}" : "msr:?";

    private TrackedValue Get(Register r)
        => r != Register.None && _regs.TryGetValue(Full(r), out var v) ? v : new TrackedValue("?", 0, 0, null);

    private static TrackedValue Or(TrackedValue v, ulong bits)
        => v.Constant is ulong c ? v with { Constant = c | bits } : v with { Set = v.Set | bits, Clear = v.Clear & ~bits };

    private static TrackedValue And(TrackedValue v, ulong bits)
        => v.Constant is ulong c ? v with { Constant = c & bits } : v with { Set = v.Set & bits, Clear = v.Clear | ~bits };

    private static bool IsImmediate(OpKind k) => k is OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32
        or OpKind.Immediate64 or OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64;

    private static Register Full(Register r) => r.GetFullRegister();

    private static string Name(Register cr) => cr.ToString().ToLowerInvariant();
}

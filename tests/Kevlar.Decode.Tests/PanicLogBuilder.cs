// PanicLogBuilder: writes a panic log in the kernel's format for the test
// kernel's fault at trigger_fault_site, with the knobs tests vary.
using System.Collections.Generic;
using System.Text;
using Kevlar.Elf;

namespace Kevlar.Decode.Tests;

/// <summary>Builds serial-log text holding one panic report.</summary>
public sealed class PanicLogBuilder
{
    public ulong Rip { get; set; } = TestKernel.FaultSite;
    public string Vector { get; set; } = "vector=14 (#PF page fault) error=0x0000000000000002";
    public string Reason { get; set; } = "stack guard page hit";
    public string Before { get; set; } = "SeaBIOS (version 1.16.2)\r\nkevlar: cpu1 online\r\n";
    public string LineEnd { get; set; } = "\r\n";
    public bool WithCode { get; set; } = true;
    public bool WithEnd { get; set; } = true;

    /// <summary>Stack from rsp=0x7000: junk, a code pointer not after a call, saved rbp, return into Run, saved rbp, return into _start, a stale return, junk.</summary>
    public List<ulong> Stack { get; } = new()
    {
        0, TestKernel.Concat, 0x7FF0, TestKernel.ReturnAfterTrigger, 0x8000, TestKernel.ReturnIntoStart, TestKernel.ReturnAfterHandler, 0xDEADBEEF,
    };

    private static string H(ulong v) => "0x" + v.ToString("x16");

    public string Build()
    {
        var s = new StringBuilder(Before);
        s.Append("KEVLAR PANIC cpu=1 ").Append(Vector).Append(LineEnd);
        s.Append("  reason: ").Append(Reason).Append(LineEnd);
        s.Append("  rip=").Append(H(Rip)).Append(" rsp=").Append(H(0x7000)).Append(" rflags=").Append(H(0x202)).Append(" cs=0x8 ss=0x10").Append(LineEnd);
        s.Append("  rax=").Append(H(0x1122334455667788)).Append(" rbx=").Append(H(TestKernel.Concat)).Append(" rcx=").Append(H(0)).Append(" rdx=").Append(H(0)).Append(LineEnd);
        s.Append("  rsi=").Append(H(0)).Append(" rdi=").Append(H(0x1000)).Append(" rbp=").Append(H(0x7010)).Append(" r8=").Append(H(0)).Append(LineEnd);
        s.Append("  r9=").Append(H(0)).Append(" r10=").Append(H(0)).Append(" r11=").Append(H(0)).Append(" r12=").Append(H(0)).Append(LineEnd);
        s.Append("  r13=").Append(H(0)).Append(" r14=").Append(H(0)).Append(" r15=").Append(H(0)).Append(" cr2=").Append(H(0x1008)).Append(LineEnd);
        if (WithCode)
        {
            ElfFile elf = TestKernel.Load();
            ulong at = Rip - 16;
            s.Append("  code@").Append(H(at)).Append(':');
            foreach (byte b in elf.ReadAt(at, 48).ToArray())
                s.Append(' ').Append(b.ToString("x2"));
            s.Append(LineEnd);
        }
        s.Append("  stack@").Append(H(0x7000)).Append(':');
        foreach (ulong q in Stack)
            s.Append(' ').Append(H(q));
        s.Append(LineEnd);
        if (WithEnd)
            s.Append("KEVLAR PANIC END").Append(LineEnd);
        s.Append("qemu: terminating on signal").Append(LineEnd);
        return s.ToString();
    }
}

// The panic report: on an unexpected exception or a failed kernel check, print
// the CPU, vector, error code, registers, the code bytes around RIP and the top
// of the stack to the serial console in the format `./kevlar decode` parses,
// stop the other CPUs, and make QEMU exit with a failure status.
using System.Threading;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Interrupts;
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Runtime.Metal;

namespace Kevlar.Drivers.X86_64.Diagnostics;

public static unsafe class PanicReport
{
    private static int s_panicking;

    /// <summary>Installed as the runtime's fail-fast handler: a software panic at the caller.</summary>
    public static void Software(string reason)
    {
        InterruptFrame frame = default;
        frame.Vector = ulong.MaxValue;
        // ilc keeps frame pointers: [rbp+8] is where this was called from (the
        // fail-fast path); the stack dump lets the decoder walk further up.
        ulong rbp = Native.ReadRbp();
        frame.Rip = *(ulong*)(rbp + 8);
        frame.Rbp = rbp;
        frame.Rsp = Native.ReadRsp();
        Report(&frame, reason);
    }

    public static void Exception(InterruptFrame* frame)
    {
        string reason = ExceptionName((int)frame->Vector);
        if (frame->Vector == 2 && Watchdog.Fired) reason = "watchdog: this CPU stayed in kernel code without passing its scheduler loop";
        if (frame->Vector == Idt.DoubleFault || frame->Vector == Idt.PageFault)
        {
            ulong address = frame->Vector == Idt.PageFault ? Native.ReadCr2() : frame->Rsp;
            if (IsStackGuard(address) || IsStackGuard(Native.ReadCr2())) reason = "kernel stack overflow: stack guard page hit";
        }
        Report(frame, reason);
    }

    private static bool IsStackGuard(ulong address)
    {
        if (address < PageTables.StackRegion) return false;
        ulong offset = (address - PageTables.StackRegion) % PageTables.StackSlot;
        return offset < 0x1000;
    }

    private static void Report(InterruptFrame* f, string reason)
    {
        int cpu = CpuLocal.CurrentIndex;
        if (Interlocked.CompareExchange(ref s_panicking, 1, 0) != 0)
        {
            // Another CPU is already reporting: stop here quietly.
            while (true) Native.StiHltCli();
        }
        Smp.StopOthers();
        SerialConsole.BeginForPanic(cpu);
        SerialConsole.Write("\nKEVLAR PANIC cpu=");
        SerialConsole.WriteDec(cpu);
        SerialConsole.Write(" vector=");
        if (f->Vector == ulong.MaxValue) SerialConsole.Write("-1 (assert)");
        else { SerialConsole.WriteDec((long)f->Vector); SerialConsole.Write(" ("); SerialConsole.Write(ExceptionName((int)f->Vector)); SerialConsole.Write(")"); }
        SerialConsole.Write(" error=");
        SerialConsole.WriteHex(f->ErrorCode);
        SerialConsole.Write("\n  reason: ");
        SerialConsole.Write(reason);
        SerialConsole.Write("\n");
        Line("rip", f->Rip, "rsp", f->Rsp, "rflags", f->Rflags, null, 0);
        SerialConsole.Write(" cs="); SerialConsole.WriteHex(f->Cs, 1); SerialConsole.Write(" ss="); SerialConsole.WriteHex(f->Ss, 2); SerialConsole.Write("\n");
        Line("rax", f->Rax, "rbx", f->Rbx, "rcx", f->Rcx, "rdx", f->Rdx); SerialConsole.Write("\n");
        Line("rsi", f->Rsi, "rdi", f->Rdi, "rbp", f->Rbp, "r8", f->R8); SerialConsole.Write("\n");
        Line("r9", f->R9, "r10", f->R10, "r11", f->R11, "r12", f->R12); SerialConsole.Write("\n");
        Line("r13", f->R13, "r14", f->R14, "r15", f->R15, "cr2", Native.ReadCr2()); SerialConsole.Write("\n");
        Bytes(f->Rip - 16, 48);
        Stack(f->Rsp, 64);
        if (CpuLocal.Count > 0 && CpuLocal.All != null) CpuStates.WriteAll(CpuLocal.All[cpu], ": this report");
        SyscallRingReport.WriteAll();
        SerialConsole.Write("KEVLAR PANIC END\n");
        SerialConsole.End(cpu);
        QemuExit.Fail();
    }

    private static void Line(string a, ulong av, string b, ulong bv, string c, ulong cv, string? d, ulong dv)
    {
        SerialConsole.Write("  ");
        Reg(a, av); SerialConsole.Put(' '); Reg(b, bv); SerialConsole.Put(' '); Reg(c, cv);
        if (d != null) { SerialConsole.Put(' '); Reg(d, dv); }
    }

    private static void Reg(string name, ulong value)
    {
        SerialConsole.Write(name);
        SerialConsole.Put('=');
        SerialConsole.WriteHex(value);
    }

    private static void Bytes(ulong from, int count)
    {
        // Start at the first readable byte; the decoder re-synchronises on RIP.
        while (count > 0 && !PageTables.IsMapped(from)) { from++; count--; }
        if (count == 0) return;
        SerialConsole.Write("  code@");
        SerialConsole.WriteHex(from);
        SerialConsole.Put(':');
        for (int i = 0; i < count && PageTables.IsMapped(from + (ulong)i); i++)
        {
            SerialConsole.Put(' ');
            SerialConsole.WriteHexDigits(*(byte*)(from + (ulong)i), 2);
        }
        SerialConsole.Write("\n");
    }

    private static void Stack(ulong rsp, int count)
    {
        rsp &= ~7UL;
        if (!PageTables.IsMapped(rsp)) return;
        SerialConsole.Write("  stack@");
        SerialConsole.WriteHex(rsp);
        SerialConsole.Put(':');
        for (int i = 0; i < count && PageTables.IsMapped(rsp + (ulong)i * 8); i++)
        {
            SerialConsole.Put(' ');
            SerialConsole.WriteHex(((ulong*)rsp)[i]);
        }
        SerialConsole.Write("\n");
    }

    public static string ExceptionName(int vector) => vector switch
    {
        0 => "#DE divide error",
        1 => "#DB debug",
        2 => "NMI",
        3 => "#BP breakpoint",
        4 => "#OF overflow",
        5 => "#BR bound range",
        6 => "#UD invalid opcode",
        7 => "#NM device not available",
        8 => "#DF double fault",
        10 => "#TS invalid TSS",
        11 => "#NP segment not present",
        12 => "#SS stack fault",
        13 => "#GP general protection",
        14 => "#PF page fault",
        16 => "#MF x87 error",
        17 => "#AC alignment check",
        18 => "#MC machine check",
        19 => "#XM SIMD exception",
        20 => "#VE virtualization",
        21 => "#CP control protection",
        _ => vector < 32 ? "reserved exception" : "unexpected interrupt",
    };
}

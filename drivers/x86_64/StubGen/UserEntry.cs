// Entering and leaving user mode. User code runs as a call from the kernel:
// kevlar_enter_user(UserRegisters* regs, ulong cr3) saves the kernel's
// callee-saved registers and rsp in the CPU's struct, loads the user state and
// irets to ring 3. Whatever brings the CPU back — a syscall instruction, an
// interrupt or an exception from ring 3 — saves the user state into the same
// UserRegisters, restores the kernel stack and "returns" from
// kevlar_enter_user with the reason: the vector (0–255) or SyscallReason.
// Kernel code thus never runs on a per-thread kernel stack, and a trap is an
// ordinary return value to the scheduler loop that called in.
//
// TSS.RSP0 is the saved kernel rsp, so a trap from ring 3 pushes its frame
// just below the saved registers.
//
// FPU/SSE state: kernel code (ilc's) uses XMM registers and MXCSR but never an
// x87 or MMX instruction (none is in the image), so leaving user mode saves
// only XMM0-15 and MXCSR, with plain moves into UserRegisters' FXSAVE image,
// and the x87 state stays in the CPU: the CPU's FpuOwner names whose it is.
// Entering user mode for that same thread (the next syscall return) loads XMM
// and MXCSR back and nothing else; for any other thread the full image goes
// through the 16-byte aligned per-CPU scratch area with fxrstor (UserRegisters
// sits in a heap object that only guarantees 8). kevlar_fpu_take writes the
// x87 part into UserRegisters and gives up ownership: the kernel calls it
// before it reads or replaces a thread's FPU state and whenever the thread
// stops running user code on this CPU (IUserMode.TakeFpu), so FpuOwner never
// names a thread that is not in its run loop here. fxsave and fxrstor are
// what cost most in a system call under TCG.
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace Kevlar.StubGen;

public static class UserEntry
{
    /// <summary>The value kevlar_enter_user returns when the thread made a system call.</summary>
    public const int SyscallReason = 0x100;

    // CpuLocal field offsets (drivers/x86_64/Cpu/CpuLocal.cs checks them at boot).
    public const int CpuTssRsp0 = 104 + 4, CpuKernelRsp = 280, CpuUserRegisters = 288, CpuUserScratch = 296, CpuFpuScratch = 304,
        CpuLoadedFsBase = 312, CpuLoadedGsBase = 320, CpuFpuOwner = 328;

    // Offsets in the FXSAVE image: MXCSR, the x87 registers (ST0-7), the XMM registers.
    private const int FxMxcsr = 24, FxSt0 = 32, FxXmm0 = 160;
    /// <summary>sysretq needs a canonical rip: at most this (Linux's check, one page below the top of the user half).</summary>
    public const ulong SysretMaxRip = 0x0000_7FFF_FFFF_F000;

    // UserRegisters field offsets (runtime/Kevlar.Runtime/UserMode/UserRegisters.cs).
    public const int R15 = 0, R14 = 8, R13 = 16, R12 = 24, R11 = 32, R10 = 40, R9 = 48, R8 = 56, Rbp = 64, Rdi = 72, Rsi = 80,
        Rdx = 88, Rcx = 96, Rbx = 104, Rax = 112, Vector = 120, ErrorCode = 128, Rip = 136, Cs = 144, Rflags = 152, Rsp = 160, Ss = 168,
        FaultAddress = 176, FsBase = 184, GsBase = 192, Fpu = 208;

    public const ushort UserCode = 0x28 | 3, UserData = 0x20 | 3;
    private const uint FsBaseMsr = 0xC0000100, KernelGsBaseMsr = 0xC0000102;

    private static readonly (AssemblerRegister64 Reg, int Offset)[] Saved =
        [(rbx, Rbx), (rcx, Rcx), (rdx, Rdx), (rsi, Rsi), (rdi, Rdi), (rbp, Rbp), (r8, R8), (r9, R9), (r10, R10), (r11, R11),
         (r12, R12), (r13, R13), (r14, R14), (r15, R15)];

    private static readonly AssemblerRegister64[] CalleeSaved = [rbx, rbp, r12, r13, r14, r15];

    /// <summary>Emits kevlar_enter_user, kevlar_syscall_entry and, at <paramref name="fromInterrupt"/>,
    /// the ring-3 half of the common interrupt path (entered with the vector, error code and the
    /// CPU's frame on the stack, before any register is touched).</summary>
    public static void Emit(Assembler a, Label fromInterrupt, List<(string, Label)> exports)
    {
        var leave = a.CreateLabel();
        EmitTakeFpu(a, exports);
        EmitEnter(a, exports);
        EmitSyscall(a, leave, exports);
        EmitFromInterrupt(a, fromInterrupt, leave);
        EmitLeave(a, leave);
    }

    private static void EmitEnter(Assembler a, List<(string, Label)> exports)
    {
        var enter = a.CreateLabel();
        var sameSpace = a.CreateLabel();
        a.Label(ref enter);
        exports.Add(("kevlar_enter_user", enter));
        foreach (var r in CalleeSaved) a.push(r);
        a.mov(__qword_ptr.gs[CpuKernelRsp], rsp);
        a.mov(__qword_ptr.gs[CpuTssRsp0], rsp);
        a.mov(__qword_ptr.gs[CpuUserRegisters], rdi);
        a.mov(rbx, rdi);
        a.mov(rax, cr3);
        a.cmp(rax, rsi);
        a.je(sameSpace);
        a.mov(cr3, rsi);
        a.Label(ref sameSpace);
        WriteMsrIfChanged(a, FsBaseMsr, FsBase, CpuLoadedFsBase);
        WriteMsrIfChanged(a, KernelGsBaseMsr, GsBase, CpuLoadedGsBase);  // swapgs below makes it the live GS base
        // FPU/SSE: this thread's x87 state still in the CPU: XMM and MXCSR only. Else the whole
        // image through the aligned scratch area, and the CPU's x87 state is this thread's.
        var full = a.CreateLabel();
        var fpuDone = a.CreateLabel();
        a.cmp(__qword_ptr.gs[CpuFpuOwner], rbx);
        a.jne(full);
        for (int i = 0; i < 16; i++) a.movups(Xmm(i), __xmmword_ptr[rbx + Fpu + FxXmm0 + 16 * i]);
        a.ldmxcsr(__dword_ptr[rbx + Fpu + FxMxcsr]);
        a.jmp(fpuDone);
        a.Label(ref full);
        a.cld();
        a.lea(rsi, __[rbx + Fpu]);
        a.mov(rdi, __qword_ptr.gs[CpuFpuScratch]);
        a.mov(ecx, 64);
        a.rep.movsq();
        a.mov(rax, __qword_ptr.gs[CpuFpuScratch]);
        a.fxrstor(__[rax]);
        a.mov(__qword_ptr.gs[CpuFpuOwner], rbx);
        a.Label(ref fpuDone);
        // Back from a syscall with rip and rflags as the syscall left them (in rcx and r11):
        // sysretq, much cheaper than iretq. Anything else (a trap, a signal frame, exec) irets.
        var iret = a.CreateLabel();
        a.mov(rcx, __qword_ptr[rbx + Rip]);
        a.cmp(rcx, __qword_ptr[rbx + Rcx]);
        a.jne(iret);
        a.mov(r11, __qword_ptr[rbx + Rflags]);
        a.cmp(r11, __qword_ptr[rbx + R11]);
        a.jne(iret);
        a.mov(rax, SysretMaxRip);
        a.cmp(rcx, rax);
        a.ja(iret);
        a.mov(rax, __qword_ptr[rbx + Rax]);
        foreach (var (reg, offset) in Saved)
            if (reg != rbx && reg != rcx && reg != r11) a.mov(reg, __qword_ptr[rbx + offset]);
        a.mov(rsp, __qword_ptr[rbx + Rsp]);
        a.mov(rbx, __qword_ptr[rbx + Rbx]);
        a.swapgs();
        a.sysretq();
        // The iret frame, then every general register; rbx (the pointer) last.
        a.Label(ref iret);
        a.push(__qword_ptr[rbx + Ss]);
        a.push(__qword_ptr[rbx + Rsp]);
        a.push(__qword_ptr[rbx + Rflags]);
        a.push(__qword_ptr[rbx + Cs]);
        a.push(__qword_ptr[rbx + Rip]);
        a.mov(rax, __qword_ptr[rbx + Rax]);
        foreach (var (reg, offset) in Saved)
            if (reg != rbx) a.mov(reg, __qword_ptr[rbx + offset]);
        a.mov(rbx, __qword_ptr[rbx + Rbx]);
        a.swapgs();
        a.iretq();
    }

    // kevlar_fpu_take(UserRegisters* regs): when the CPU holds regs' x87 state (FpuOwner),
    // fxsave and copy the x87 part (control, status, tags, pointers, ST0-7) into its image
    // (XMM and MXCSR are there already), then FpuOwner = 0. Kernel code runs with the
    // kernel's MXCSR, which the image does not take.
    private static void EmitTakeFpu(Assembler a, List<(string, Label)> exports)
    {
        var take = a.CreateLabel();
        var notOurs = a.CreateLabel();
        a.Label(ref take);
        exports.Add(("kevlar_fpu_take", take));
        a.cmp(__qword_ptr.gs[CpuFpuOwner], rdi);
        a.jne(notOurs);
        a.mov(rsi, __qword_ptr.gs[CpuFpuScratch]);
        a.fxsave(__[rsi]);
        for (int offset = 0; offset < FxMxcsr; offset += 8)
        {
            a.mov(rax, __qword_ptr[rsi + offset]);
            a.mov(__qword_ptr[rdi + Fpu + offset], rax);
        }
        for (int offset = FxSt0; offset < FxXmm0; offset += 8)
        {
            a.mov(rax, __qword_ptr[rsi + offset]);
            a.mov(__qword_ptr[rdi + Fpu + offset], rax);
        }
        a.mov(__qword_ptr.gs[CpuFpuOwner], 0);
        a.Label(ref notOurs);
        a.ret();
    }

    private static AssemblerRegisterXMM Xmm(int i) => i switch
    {
        0 => xmm0, 1 => xmm1, 2 => xmm2, 3 => xmm3, 4 => xmm4, 5 => xmm5, 6 => xmm6, 7 => xmm7,
        8 => xmm8, 9 => xmm9, 10 => xmm10, 11 => xmm11, 12 => xmm12, 13 => xmm13, 14 => xmm14, _ => xmm15,
    };

    // wrmsr(msr, [rbx + offset]) unless gs:[loaded] says the MSR holds it already; clobbers eax, ecx, edx.
    private static void WriteMsrIfChanged(Assembler a, uint msr, int offset, int loaded)
    {
        var same = a.CreateLabel();
        a.mov(rax, __qword_ptr[rbx + offset]);
        a.cmp(rax, __qword_ptr.gs[loaded]);
        a.je(same);
        a.mov(__qword_ptr.gs[loaded], rax);
        a.mov(ecx, msr);
        a.mov(edx, __dword_ptr[rbx + offset + 4]);
        a.wrmsr();
        a.Label(ref same);
    }

    // SYSCALL: rcx = user rip, r11 = user rflags, rsp still the user's; SFMASK has
    // cleared IF, so nothing can interrupt before the stack is the kernel's.
    private static void EmitSyscall(Assembler a, Label leave, List<(string, Label)> exports)
    {
        var entry = a.CreateLabel();
        a.Label(ref entry);
        exports.Add(("kevlar_syscall_entry", entry));
        a.swapgs();
        a.mov(__qword_ptr.gs[CpuUserScratch], rsp);
        a.mov(rsp, __qword_ptr.gs[CpuUserRegisters]);
        a.mov(__qword_ptr[rsp + Rax], rax);
        foreach (var (reg, offset) in Saved) a.mov(__qword_ptr[rsp + offset], reg);
        a.mov(__qword_ptr[rsp + Rip], rcx);
        a.mov(__qword_ptr[rsp + Rflags], r11);
        a.mov(rax, __qword_ptr.gs[CpuUserScratch]);
        a.mov(__qword_ptr[rsp + Rsp], rax);
        a.mov(__qword_ptr[rsp + Cs], UserCode);
        a.mov(__qword_ptr[rsp + Ss], UserData);
        a.mov(__qword_ptr[rsp + Vector], SyscallReason);
        a.mov(__qword_ptr[rsp + ErrorCode], 0);
        a.mov(rbx, rsp);
        a.jmp(leave);
    }

    // From the common interrupt path when the saved CS is ring 3:
    // [rsp] vector, +8 error code, +16 rip, +24 cs, +32 rflags, +40 rsp, +48 ss.
    private static void EmitFromInterrupt(Assembler a, Label fromInterrupt, Label leave)
    {
        a.Label(ref fromInterrupt);
        a.swapgs();
        a.push(rbx);
        a.mov(rbx, __qword_ptr.gs[CpuUserRegisters]);
        a.mov(__qword_ptr[rbx + Rax], rax);
        foreach (var (reg, offset) in Saved)
            if (reg != rbx) a.mov(__qword_ptr[rbx + offset], reg);
        a.pop(rax);
        a.mov(__qword_ptr[rbx + Rbx], rax);
        foreach (int offset in new[] { Vector, ErrorCode, Rip, Cs, Rflags, Rsp, Ss })
        {
            a.pop(rax);
            a.mov(__qword_ptr[rbx + offset], rax);
        }
        a.mov(rax, cr2);
        a.mov(__qword_ptr[rbx + FaultAddress], rax);
        a.jmp(leave);
    }

    // rbx = the UserRegisters with everything but the FPU state saved: XMM and
    // MXCSR into its FXSAVE image (the x87 state stays in the CPU, whose FpuOwner
    // is this thread since the entry), back onto the kernel stack, return the reason.
    private static void EmitLeave(Assembler a, Label leave)
    {
        a.Label(ref leave);
        a.cld();
        for (int i = 0; i < 16; i++) a.movups(__xmmword_ptr[rbx + Fpu + FxXmm0 + 16 * i], Xmm(i));
        a.stmxcsr(__dword_ptr[rbx + Fpu + FxMxcsr]);
        a.mov(eax, __dword_ptr[rbx + Vector]);
        a.mov(rsp, __qword_ptr.gs[CpuKernelRsp]);
        // The kernel's own SSE control (all exceptions masked, round to nearest), whatever the user set.
        a.push(0x1F80);
        a.ldmxcsr(__dword_ptr[rsp]);
        a.pop(rcx);
        for (int i = CalleeSaved.Length - 1; i >= 0; i--) a.pop(CalleeSaved[i]);
        a.ret();
    }
}

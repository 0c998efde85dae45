// UserRegisters: a user thread's CPU state while it is not running — general
// registers, the trap that stopped it, FS/GS bases and the FXSAVE image. The
// layout is a contract with drivers/x86_64/StubGen/UserEntry.cs, which saves
// into and loads from it directly (its first 22 qwords are the order of the
// interrupt frame). The struct lives inside its thread's heap object; the
// collector never moves objects, so the address the stub holds stays valid
// while the thread runs.
using System.Runtime.InteropServices;

namespace Kevlar.Runtime.UserMode;

[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct UserRegisters
{
    public const int Size = 720;
    /// <summary>Trap reason for a system call (any other reason is the interrupt vector).</summary>
    public const int SyscallReason = 0x100;
    /// <summary>Run did not enter user mode: the address space was torn down (exit_group or exec
    /// on another CPU) while the thread was on its way in.</summary>
    public const int SpaceGoneReason = 0x101;
    public const ulong UserCode = 0x2B, UserData = 0x23;
    /// <summary>RFLAGS bits user code may set (CF PF AF ZF SF TF DF OF AC ID and friends, not IF/IOPL).</summary>
    public const ulong UserFlagsMask = 0x0000_0000_0025_0DD5;
    public const ulong InterruptFlag = 0x200;

    [FieldOffset(0)] public ulong R15;
    [FieldOffset(8)] public ulong R14;
    [FieldOffset(16)] public ulong R13;
    [FieldOffset(24)] public ulong R12;
    [FieldOffset(32)] public ulong R11;
    [FieldOffset(40)] public ulong R10;
    [FieldOffset(48)] public ulong R9;
    [FieldOffset(56)] public ulong R8;
    [FieldOffset(64)] public ulong Rbp;
    [FieldOffset(72)] public ulong Rdi;
    [FieldOffset(80)] public ulong Rsi;
    [FieldOffset(88)] public ulong Rdx;
    [FieldOffset(96)] public ulong Rcx;
    [FieldOffset(104)] public ulong Rbx;
    [FieldOffset(112)] public ulong Rax;
    /// <summary>Why the thread last left user mode: a vector, or <see cref="SyscallReason"/>.</summary>
    [FieldOffset(120)] public ulong Vector;
    [FieldOffset(128)] public ulong ErrorCode;
    [FieldOffset(136)] public ulong Rip;
    [FieldOffset(144)] public ulong Cs;
    [FieldOffset(152)] public ulong Rflags;
    [FieldOffset(160)] public ulong Rsp;
    [FieldOffset(168)] public ulong Ss;
    /// <summary>CR2 at the last trap (meaningful for page faults).</summary>
    [FieldOffset(176)] public ulong FaultAddress;
    [FieldOffset(184)] public ulong FsBase;
    [FieldOffset(192)] public ulong GsBase;
    /// <summary>The syscall number as the call was made (rax is the result afterwards): restarting needs it.</summary>
    [FieldOffset(200)] public ulong OrigRax;
    /// <summary>The FXSAVE image (Intel SDM vol. 1, 10.5.1; 512 bytes).</summary>
    [FieldOffset(208)] public FxsaveArea Fpu;

    /// <summary>A fresh thread: zero registers, user segments, interrupts on, FPU at its
    /// power-on control words (FCW 0x37F, MXCSR 0x1F80), as execve leaves them.</summary>
    public void Reset(ulong rip, ulong rsp)
    {
        this = default;
        Rip = rip;
        Rsp = rsp;
        Cs = UserCode;
        Ss = UserData;
        Rflags = InterruptFlag;
        Fpu.ControlWord = 0x37F;
        Fpu.Mxcsr = 0x1F80;
        Fpu.MxcsrMask = 0xFFFF;
    }

    /// <summary>Makes values taken from user space (sigreturn, ptrace) safe to load:
    /// user selectors, interrupts on, no privileged flags.</summary>
    public void Sanitize()
    {
        Cs = UserCode;
        Ss = UserData;
        Rflags = (Rflags & UserFlagsMask) | InterruptFlag;
        Fpu.Mxcsr &= 0xFFFF; // bits 16–31 are reserved: fxrstor faults on them
    }
}

/// <summary>The 512-byte FXSAVE image; named here are the fields the kernel sets.</summary>
[StructLayout(LayoutKind.Explicit, Size = 512)]
public struct FxsaveArea
{
    [FieldOffset(0)] public ushort ControlWord;
    [FieldOffset(24)] public uint Mxcsr;
    [FieldOffset(28)] public uint MxcsrMask;
}

// SignalFrameTests: the x86_64 rt_sigframe — Build then Restore gives back
// every register of the sigcontext, the FPU image and the mask; the frame is
// where Linux puts it (below the red zone, 16-byte aligned as after a call,
// FXSAVE image 64-byte aligned above it, or on the alternate stack); the
// handler's arguments point at the signal number, siginfo_t and ucontext;
// siginfo_t and ucontext carry their fields at Linux's offsets.
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Kevlar.Process.Tests.Support;
using Kevlar.Runtime.UserMode;
using Xunit;
using static Kevlar.Process.Signals.SignalAction;
using static Kevlar.Process.Tests.Support.ProcessHarness;

namespace Kevlar.Process.Tests.Signals;

public class SignalFrameTests
{
    private const ulong StackBase = 0x7000_0000, StackTop = 0x7001_0000, AltBase = 0x7100_0000, AltSize = 0x4000;
    private const ulong Handler = 0x40_5000, Restorer = 0x40_6000;
    private const ulong UserFlags = 0x200 | 0x1 | 0x40 | 0x80 | 0x400 | 0x800; // IF CF ZF SF DF OF (bit 1 is the CPU's, never kept)
    private readonly ProcessHarness _k = new();
    private readonly UserProcess _p;
    private readonly UserThread _t;

    public SignalFrameTests()
    {
        _p = _k.NewProcess();
        _t = _p.MainThread;
        Map(_p, StackBase, StackTop - StackBase, UserRW);
        Map(_p, AltBase, AltSize, UserRW);
        Fill(ref _t.Registers, StackTop - 0x100);
    }

    private static readonly SignalAction Action = new() { Handler = Handler, Flags = SA_SIGINFO | SA_RESTORER, Restorer = Restorer };
    private static readonly SignalInfo KillInfo = new() { Signal = Signal.SIGUSR1, Code = SignalInfo.SI_USER, Pid = 77, Uid = 1000 };

    private static void Fill(ref UserRegisters r, ulong rsp)
    {
        r.Reset(0x40_1234, rsp);
        r.R15 = 0x1515; r.R14 = 0x1414; r.R13 = 0x1313; r.R12 = 0x1212; r.R11 = 0x1111; r.R10 = 0x1010;
        r.R9 = 0x0909; r.R8 = 0x0808; r.Rbp = 0xB0B0; r.Rdi = 0xD1D1; r.Rsi = 0x5151; r.Rdx = 0xDDDD;
        r.Rcx = 0xCCCC; r.Rbx = 0xBBBB; r.Rax = 0xAAAA_AAAA_AAAA_AAAA;
        r.Rflags = UserFlags;
        r.Vector = UserRegisters.SyscallReason;
        byte[] fp = FpuPattern();
        FxsaveCopy.FromBytes(fp, ref r.Fpu);
    }

    private static byte[] FpuPattern()
    {
        byte[] fp = Enumerable.Range(0, 512).Select(i => (byte)(i * 13 + 5)).ToArray();
        BitConverter.GetBytes(0x1FA0u).CopyTo(fp, 24);  // MXCSR: reserved bits clear
        BitConverter.GetBytes(0xFFFFu).CopyTo(fp, 28);
        return fp;
    }

    private static byte[] FpuBytes(in UserRegisters r)
    {
        var b = new byte[512];
        FxsaveCopy.ToBytes(in r.Fpu, b);
        return b;
    }

    private ulong Frame => _t.Registers.Rsp;

    private ulong Mcontext(int offset) => GetUInt64(_p, Frame + SignalFrame.MContext + (ulong)offset);

    private static ulong[] Sigcontext(in UserRegisters r) => new[]
    {
        r.R8, r.R9, r.R10, r.R11, r.R12, r.R13, r.R14, r.R15, r.Rdi, r.Rsi, r.Rbp, r.Rbx, r.Rdx, r.Rax, r.Rcx, r.Rsp, r.Rip, r.Rflags,
    };

    [Fact]
    public void BuildThenRestore_AfterTheHandlerClobbered_RestoresEveryRegisterAndTheMask()
    {
        UserRegisters before = _t.Registers;
        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0x1234_0000_0000_5678));
        ulong frame = Frame;

        Fill(ref _t.Registers, frame + 8); // the handler ran and returned into the restorer
        _t.Registers.R12 = 0xBAD; _t.Registers.Rip = Restorer; _t.Registers.Rflags = 0x202;
        _t.Registers.Fpu = default;
        Assert.True(SignalFrame.Restore(_t, out ulong mask));

        Assert.Equal(Sigcontext(in before), Sigcontext(in _t.Registers));
        Assert.Equal(FpuBytes(in before), FpuBytes(in _t.Registers));
        Assert.Equal((UserRegisters.UserCode, UserRegisters.UserData), (_t.Registers.Cs, _t.Registers.Ss));
        Assert.Equal(0x1234_0000_0000_5678UL, mask);
    }

    [Theory]
    [InlineData(StackTop - 0x100)]
    [InlineData(StackTop - 0x108)]
    [InlineData(StackTop - 0x10D)]
    [InlineData(StackTop - 0x1FFF)]
    public void Build_AnyStackPointer_FrameIsCallAlignedBelowTheRedZoneUnderAnAlignedFpuImage(ulong rsp)
    {
        _t.Registers.Rsp = rsp;

        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0));

        ulong fpstate = Mcontext(184);
        Assert.Equal(0UL, (Frame + 8) % 16);
        Assert.Equal(0UL, fpstate % 64);
        Assert.True(Frame + SignalFrame.FrameSize <= fpstate);
        Assert.True(fpstate + SignalFrame.FpSize <= rsp - 128, "the FXSAVE image overlaps the red zone");
        Assert.Equal(FpuPattern(), Get(_p, fpstate, 512));
    }

    [Fact]
    public void Build_HandlerRegisters_PointAtSignalSiginfoAndUcontext()
    {
        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0));

        ref UserRegisters r = ref _t.Registers;
        Assert.Equal((Handler, (ulong)Signal.SIGUSR1, Frame + 312, Frame + 8, 0UL), (r.Rip, r.Rdi, r.Rsi, r.Rdx, r.Rax));
        Assert.Equal(Restorer, GetUInt64(_p, Frame)); // the handler's return address
        Assert.Equal(0UL, r.Rflags & 0x400);           // DF clear for the handler, as the ABI wants
        Assert.Equal((ushort)0x37F, r.Fpu.ControlWord); // a fresh FPU state
        Assert.Equal(0x1F80u, r.Fpu.Mxcsr);
    }

    [Fact]
    public void Build_Ucontext_HoldsTheSavedRegistersMaskAndStack()
    {
        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0xF0F0));

        ulong uc = Frame + 8;
        Assert.Equal(0UL, GetUInt64(_p, uc + 8));                      // uc_link
        Assert.Equal(2, GetInt32(_p, uc + 24));                         // uc_stack.ss_flags: SS_DISABLE
        Assert.Equal(StackTop - 0x100, Mcontext(120));                  // rsp
        Assert.Equal(0x40_1234UL, Mcontext(128));                       // rip
        Assert.Equal(UserFlags, Mcontext(136));                         // eflags
        Assert.Equal(UserRegisters.UserCode, (ulong)GetInt32(_p, Frame + SignalFrame.MContext + 144) & 0xFFFF);
        Assert.Equal(0xF0F0UL, Mcontext(168));                          // oldmask
        Assert.Equal(0xF0F0UL, GetUInt64(_p, uc + 296));                // uc_sigmask
        Assert.Equal(0UL, Mcontext(160));                               // trapno: none for a syscall
    }

    [Fact]
    public void Build_AfterAPageFault_RecordsTrapnoErrorAndCr2()
    {
        _t.Registers.Vector = TrapVector.PageFault;
        _t.Registers.ErrorCode = TrapVector.PfUser | TrapVector.PfWrite;
        _t.Registers.FaultAddress = 0xDEAD_0000;

        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0));

        Assert.Equal((6UL, 14UL, 0xDEAD_0000UL), (Mcontext(152), Mcontext(160), Mcontext(176)));
    }

    [Fact]
    public void Build_KillSiginfo_HasSignoCodePidUidAtLinuxsOffsets()
    {
        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0));

        ulong si = _t.Registers.Rsi;
        Assert.Equal(new[] { Signal.SIGUSR1, 0, SignalInfo.SI_USER, 0, 77, 1000 },
            new[] { 0, 4, 8, 12, 16, 20 }.Select(o => GetInt32(_p, si + (ulong)o)));
        Assert.Equal(new byte[128 - 24], Get(_p, si + 24, 128 - 24));
    }

    [Fact]
    public void Build_FaultSiginfo_HasSiAddrAtSixteen()
    {
        var info = new SignalInfo { Signal = Signal.SIGSEGV, Code = SignalInfo.SEGV_ACCERR, IsFault = true, Address = 0x1234_5678_9ABC };

        Assert.True(SignalFrame.Build(_t, in Action, in info, 0));

        ulong si = _t.Registers.Rsi;
        Assert.Equal((Signal.SIGSEGV, SignalInfo.SEGV_ACCERR), (GetInt32(_p, si), GetInt32(_p, si + 8)));
        Assert.Equal(0x1234_5678_9ABCUL, GetUInt64(_p, si + 16));
    }

    [Fact]
    public void Build_ChildSiginfo_HasStatusAndTimesAtLinuxsOffsets()
    {
        var info = new SignalInfo { Signal = Signal.SIGCHLD, Code = SignalInfo.CLD_EXITED, Pid = 9, Uid = 5, Status = 3, UserTime = 11, SystemTime = 12 };

        Assert.True(SignalFrame.Build(_t, in Action, in info, 0));

        ulong si = _t.Registers.Rsi;
        Assert.Equal((9, 5, 3), (GetInt32(_p, si + 16), GetInt32(_p, si + 20), GetInt32(_p, si + 24)));
        Assert.Equal((11UL, 12UL), (GetUInt64(_p, si + 32), GetUInt64(_p, si + 40)));
    }

    [Fact]
    public void Build_SaOnstack_PutsTheFrameAtTheTopOfTheAlternateStack()
    {
        _t.AltStackBase = AltBase;
        _t.AltStackSize = AltSize;
        _t.AltStackFlags = 0;
        SignalAction onStack = Action with { Flags = Action.Flags | SA_ONSTACK };

        Assert.True(SignalFrame.Build(_t, in onStack, in KillInfo, 0));

        Assert.InRange(Frame, AltBase, AltBase + AltSize - 1);
        Assert.True(Mcontext(184) + SignalFrame.FpSize <= AltBase + AltSize);
        Assert.True(Mcontext(184) + SignalFrame.FpSize > AltBase + AltSize - 64, "no red zone on a fresh alternate stack");
        ulong uc = Frame + 8;
        Assert.Equal((AltBase, 0, AltSize), (GetUInt64(_p, uc + 16), GetInt32(_p, uc + 24), GetUInt64(_p, uc + 32)));
    }

    [Fact]
    public void Build_SaOnstackWhileOnTheAlternateStack_StaysBelowTheRedZoneThere()
    {
        _t.AltStackBase = AltBase;
        _t.AltStackSize = AltSize;
        _t.AltStackFlags = 0;
        _t.Registers.Rsp = AltBase + 0x3000;
        SignalAction onStack = Action with { Flags = Action.Flags | SA_ONSTACK };

        Assert.True(SignalFrame.Build(_t, in onStack, in KillInfo, 0));

        Assert.True(Mcontext(184) + SignalFrame.FpSize <= AltBase + 0x3000 - 128);
        Assert.InRange(Frame, AltBase, AltBase + 0x3000);
        Assert.Equal(1, GetInt32(_p, Frame + 8 + 24)); // uc_stack.ss_flags: SS_ONSTACK
    }

    [Fact]
    public void Build_AlternateStackWithoutSaOnstack_UsesTheCurrentStack()
    {
        _t.AltStackBase = AltBase;
        _t.AltStackSize = AltSize;
        _t.AltStackFlags = 0;

        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0));

        Assert.InRange(Frame, StackBase, StackTop);
    }

    [Fact]
    public void Build_UnmappedStack_ReturnsFalseAndLeavesTheRegisters()
    {
        _t.Registers.Rsp = 0x30_0000;
        UserRegisters before = _t.Registers;

        Assert.False(SignalFrame.Build(_t, in Action, in KillInfo, 0));

        Assert.Equal(Sigcontext(in before), Sigcontext(in _t.Registers));
    }

    [Fact]
    public void Build_ReadOnlyStack_ReturnsFalse()
    {
        Assert.Equal(0, _p.Memory.Protect(StackBase, StackTop, PageProtection.Read));

        Assert.False(SignalFrame.Build(_t, in Action, in KillInfo, 0));
    }

    [Fact]
    public void Restore_UnreadableFrame_ReturnsFalse()
    {
        _t.Registers.Rsp = 0x30_0008;

        Assert.False(SignalFrame.Restore(_t, out _));
    }

    [Fact]
    public void Restore_PrivilegedBitsInTheSavedContext_AreNotLoaded()
    {
        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0));
        ulong frame = Frame, m = frame + SignalFrame.MContext;
        PutUInt64(_p, m + 136, 0x3000 | 0x20000 | 0x41);              // IOPL 3, VM, CF ZF; IF clear
        Put(_p, m + 144, new byte[] { 0x08, 0 });                        // a kernel CS
        Put(_p, Mcontext(184) + 24, BitConverter.GetBytes(0xFFFF_FFFFu)); // MXCSR with reserved bits
        _t.Registers.Rsp = frame + 8;

        Assert.True(SignalFrame.Restore(_t, out _));

        ref UserRegisters r = ref _t.Registers;
        Assert.Equal(0UL, r.Rflags & (0x3000 | 0x20000));
        Assert.Equal(UserRegisters.InterruptFlag | 0x41, r.Rflags & (UserRegisters.InterruptFlag | 0x41));
        Assert.Equal(UserRegisters.UserCode, r.Cs);
        Assert.Equal(0u, r.Fpu.Mxcsr >> 16);
    }

    [Fact]
    public void Sigreturn_AfterBuild_RestoresTheMaskWithoutKillOrStopAndReturnsRax()
    {
        ulong kill = 1UL << (Signal.SIGKILL - 1), stop = 1UL << (Signal.SIGSTOP - 1);
        Assert.True(SignalFrame.Build(_t, in Action, in KillInfo, 0x8000 | kill | stop));
        _t.Registers.Rsp = Frame + 8;

        long rax = Sigreturn.Invoke(_t, Sys.Args());

        Assert.Equal(unchecked((long)0xAAAA_AAAA_AAAA_AAAA), rax);
        Assert.Equal(0x8000UL, _t.SignalMask);
    }

    [Fact]
    public void Sigreturn_UnreadableFrame_KillsWithSigsegv()
    {
        _t.Registers.Rsp = 0x30_0008;

        Sigreturn.Invoke(_t, Sys.Args());

        Assert.True(_p.Exited);
        Assert.Equal(WaitStatus.Killed(Signal.SIGSEGV, false), _p.ExitWaitStatus);
    }
}

// SignalFrame: the x86_64 rt_sigframe Linux builds on the user stack to run
// a handler, and its undoing by rt_sigreturn (arch/x86/kernel/signal*.c;
// asm/sigcontext.h, asm/ucontext.h). Layout from the frame address f:
//   f+0    pretcode (the handler's return address: sa_restorer)
//   f+8    struct ucontext: uc_flags, uc_link, uc_stack (24 bytes),
//          uc_mcontext (struct sigcontext, 256 bytes, at f+48), uc_sigmask (f+304)
//   f+312  siginfo_t (128 bytes)
// and above it, 64-byte aligned, the 512-byte FXSAVE image uc_mcontext.fpstate
// points at. The frame sits below the 128-byte red zone (or at the top of the
// alternate stack with SA_ONSTACK), with (rsp + 8) % 16 == 0 at handler entry,
// as after a call.
using System.Buffers.Binary;
using System;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process.Signals;

public static class SignalFrame
{
    public const int FrameSize = 8 + 304 + SignalInfo.Size;
    public const int UContext = 8, MContext = 48, SigMask = 304, Info = 312, FpSize = 512;
    private const ulong RedZone = 128;
    private const ulong FlagsRestoreMask = 0x0000_0000_0000_0DD5 | 0x40000 | 0x200000 | 0x100; // CF PF AF ZF SF DF OF AC ID TF

    /// <summary>Writes the frame for <paramref name="info"/> and points the registers at the
    /// handler. False when the frame cannot be written (the caller then kills with SIGSEGV).</summary>
    public static bool Build(UserThread t, in SignalAction action, in SignalInfo info, ulong savedMask)
    {
        t.Process.Host.UserMode.TakeFpu(ref t.Registers);
        ref UserRegisters r = ref t.Registers;
        ulong sp = r.Rsp;
        bool onAltStack = t.AltStackSize != 0 && sp > t.AltStackBase && sp <= t.AltStackBase + t.AltStackSize;
        if ((action.Flags & SignalAction.SA_ONSTACK) != 0 && t.AltStackSize != 0 && !onAltStack)
            sp = t.AltStackBase + t.AltStackSize;
        else
            sp -= RedZone;
        ulong fpstate = (sp - FpSize) & ~63UL;
        ulong frame = ((fpstate - FrameSize) & ~15UL) - 8;
        var bytes = new byte[FrameSize];
        var span = new Span<byte>(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(0), action.Restorer);
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(UContext + 8), 0);                      // uc_link
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(UContext + 16), t.AltStackBase);        // uc_stack
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(UContext + 24), (ulong)(uint)(t.AltStackSize == 0 ? 2 : onAltStack ? 1 : 0));
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(UContext + 32), t.AltStackSize);
        WriteContext(span.Slice(MContext, 256), in r, fpstate, savedMask);
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(SigMask), savedMask);
        info.Encode(span.Slice(Info, SignalInfo.Size));
        byte[] fp = FpuBytes(in r);
        if (t.Process.UserMemory.Write(fpstate, fp) != 0) return false;
        if (t.Process.UserMemory.Write(frame, bytes) != 0) return false;
        r.Rsp = frame;
        r.Rip = action.Handler;
        r.Rdi = (ulong)info.Signal;
        r.Rsi = frame + Info;
        r.Rdx = frame + UContext;
        r.Rax = 0;
        r.Rflags &= ~(0x400UL | 0x100UL | 0x10000UL); // DF, TF, RF
        r.Fpu = default;
        r.Fpu.ControlWord = 0x37F;
        r.Fpu.Mxcsr = 0x1F80;
        r.Fpu.MxcsrMask = 0xFFFF;
        return true;
    }

    /// <summary>rt_sigreturn: restores the registers, FPU state, mask and alternate-stack
    /// settings saved at rsp - 8. False when the frame cannot be read.</summary>
    public static bool Restore(UserThread t, out ulong mask)
    {
        t.Process.Host.UserMode.TakeFpu(ref t.Registers); // its image is replaced whole below
        mask = 0;
        ulong frame = t.Registers.Rsp - 8;
        var bytes = new byte[FrameSize];
        if (t.Process.UserMemory.Read(frame, bytes) != 0) return false;
        ReadOnlySpan<byte> s = bytes;
        ReadOnlySpan<byte> m = s.Slice(MContext, 256);
        ref UserRegisters r = ref t.Registers;
        r.R8 = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(0)); r.R9 = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(8)); r.R10 = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(16)); r.R11 = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(24));
        r.R12 = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(32)); r.R13 = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(40)); r.R14 = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(48)); r.R15 = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(56));
        r.Rdi = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(64)); r.Rsi = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(72)); r.Rbp = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(80)); r.Rbx = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(88));
        r.Rdx = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(96)); r.Rax = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(104)); r.Rcx = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(112)); r.Rsp = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(120));
        r.Rip = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(128));
        r.Rflags = (r.Rflags & ~FlagsRestoreMask) | (BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(136)) & FlagsRestoreMask);
        ulong fpstate = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(184));
        if (fpstate != 0)
        {
            var fp = new byte[FpSize];
            if (t.Process.UserMemory.Read(fpstate, fp) != 0) return false;
            SetFpu(ref r, fp);
        }
        r.Sanitize();
        mask = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(SigMask));
        return true;
    }

    private static void WriteContext(Span<byte> m, in UserRegisters r, ulong fpstate, ulong savedMask)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(0), r.R8); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(8), r.R9); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(16), r.R10); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(24), r.R11);
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(32), r.R12); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(40), r.R13); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(48), r.R14); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(56), r.R15);
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(64), r.Rdi); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(72), r.Rsi); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(80), r.Rbp); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(88), r.Rbx);
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(96), r.Rdx); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(104), r.Rax); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(112), r.Rcx); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(120), r.Rsp);
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(128), r.Rip); BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(136), r.Rflags);
        m[144] = (byte)r.Cs;                                        // cs, gs, fs, ss (u16 each)
        m[150] = (byte)r.Ss;
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(152), r.Vector == UserRegisters.SyscallReason ? 0 : r.ErrorCode);
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(160), r.Vector == UserRegisters.SyscallReason ? 0 : r.Vector);
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(168), savedMask);                                     // oldmask
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(176), r.Vector == TrapVector.PageFault ? r.FaultAddress : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(m.Slice(184), fpstate);
    }

    // The FXSAVE image as bytes (the struct's layout is the image's layout).
    private static byte[] FpuBytes(in UserRegisters r)
    {
        var b = new byte[FpSize];
        FxsaveArea f = r.Fpu;
        FxsaveCopy.ToBytes(in f, b);
        return b;
    }

    private static void SetFpu(ref UserRegisters r, byte[] fp) => FxsaveCopy.FromBytes(fp, ref r.Fpu);


}

// SignalInfo: the siginfo_t fields the kernel fills (asm-generic/siginfo.h,
// 128 bytes on x86_64): si_signo, si_errno, si_code at 0/4/8; then si_pid and
// si_uid at 16/20 (kill, SIGCHLD), si_status at 24 and si_utime/si_stime at
// 32/40 (SIGCHLD), or si_addr at 16 (faults).
using System.Buffers.Binary;
using System;

namespace Kevlar.Process.Signals;

public struct SignalInfo
{
    public const int Size = 128;
    public const int SI_USER = 0, SI_KERNEL = 0x80, SI_TKILL = -6;
    public const int SEGV_MAPERR = 1, SEGV_ACCERR = 2, ILL_ILLOPN = 2, FPE_INTDIV = 1, BUS_ADRALN = 1, TRAP_BRKPT = 1;
    public const int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5, CLD_CONTINUED = 6;

    public int Signal, Code, Pid, Status;
    public uint Uid;
    public ulong Address, UserTime, SystemTime;
    /// <summary>Address-carrying signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) put si_addr at 16.</summary>
    public bool IsFault;

    /// <summary>SIGCHLD's info for <paramref name="child"/> in the state <paramref name="waitStatus"/>
    /// describes (WaitStatus encoding): exited, killed, stopped or continued; its pid as a process
    /// in <paramref name="seenFrom"/> (the parent's PID namespace) sees it.</summary>
    public static SignalInfo ForChild(UserProcess child, int waitStatus, Namespaces.PidNamespace seenFrom)
    {
        int low = waitStatus & 0x7F;
        bool stopped = (waitStatus & 0xFF) == 0x7F, continued = waitStatus == WaitStatus.Continued;
        return new SignalInfo
        {
            Signal = Signals.Signal.SIGCHLD,
            Code = continued ? CLD_CONTINUED : stopped ? CLD_STOPPED : low == 0 ? CLD_EXITED : CLD_KILLED,
            Pid = seenFrom.NumberOf(child),
            Uid = child.Uid,
            Status = continued ? Signals.Signal.SIGCONT : stopped || low == 0 ? (waitStatus >> 8) & 0xFF : low,
            UserTime = child.UserNanoseconds / 10_000_000,
            SystemTime = child.SystemNanoseconds / 10_000_000,
        };
    }

    public readonly void Encode(Span<byte> b)
    {
        b.Slice(0, Size).Clear();
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(0), Signal);
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(8), Code);
        if (IsFault)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), Address);
            return;
        }
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(16), Pid);
        BinaryPrimitives.WriteInt32LittleEndian(b.Slice(20), (int)Uid);
        if (Signal == Signals.Signal.SIGCHLD)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b.Slice(24), Status);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(32), UserTime);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(40), SystemTime);
        }
    }


}

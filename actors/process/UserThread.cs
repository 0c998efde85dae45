// UserThread: a thread of a user process, as an actor on the per-CPU
// scheduler. Its one message, Run, means "this thread may run": the handler
// drops to user mode and serves what brings it back — a system call is
// dispatched and, when it completes at once, the thread goes straight back
// to user mode; an interrupt (the time slice ended, another CPU wants this
// one) ends the handler after re-sending Run, so the CPU's other work gets
// its turn; an exception becomes a page-fault fix-up or a signal.
//
// State (owned by the home CPU): Registers, _exited.
// Invariants: 1. At most one Run is queued or running (the message is reused,
//                and Send asserts it is not in flight).
//             2. An exited thread never enters user mode again.
using Kevlar.Process.Signals;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process;

public sealed class UserThread : Actor
{
    private sealed class RunMessage : Message { }

    public readonly UserProcess Process;
    public readonly int Tid;
    public UserRegisters Registers;
    /// <summary>set_tid_address: cleared (and futex-woken) when the thread exits.</summary>
    public ulong ClearChildTid;
    /// <summary>set_robust_list: the head of the robust futex list and its length.</summary>
    public ulong RobustListHead, RobustListLength;
    /// <summary>Blocked signals (bit n-1 for signal n).</summary>
    public ulong SignalMask;
    /// <summary>sigaltstack: base, size, flags.</summary>
    public ulong AltStackBase, AltStackSize;
    public int AltStackFlags = 2; // SS_DISABLE
    /// <summary>The thread's name (comm, 16 bytes with the NUL), set at exec and by PR_SET_NAME.</summary>
    public byte[] Name = new byte[16];
    /// <summary>Time spent running user code and in the kernel on this thread's behalf.</summary>
    public ulong UserNanoseconds, SystemNanoseconds;
    private readonly RunMessage _run = new RunMessage();
    private bool _exited;

    public UserThread(UserProcess process, int tid)
    {
        Process = process;
        Tid = tid;
    }

    /// <summary>Queues the thread to run on its home CPU.</summary>
    public void Start() => Process.Host.Scheduler.Send(this, _run);

    protected internal override void Receive(Message m)
    {
        if (m == _run) RunUntilYield();
    }

    private void RunUntilYield()
    {
        ProcessHost host = Process.Host;
        ulong now = host.Clock.MonotonicNanoseconds;
        while (!_exited)
        {
            int reason = host.UserMode.Run(ref Registers, Process.Pages);
            ulong back = host.Clock.MonotonicNanoseconds;
            UserNanoseconds += back - now;
            if (reason == UserRegisters.SyscallReason)
            {
                host.Syscalls.Dispatch(this);
                now = host.Clock.MonotonicNanoseconds;
                SystemNanoseconds += now - back;
                continue;
            }
            now = back;
            if (reason >= TrapVector.FirstInterrupt)
            {
                Start();
                return;
            }
            HandleException(reason);
        }
    }

    private void HandleException(int vector)
    {
        if (vector == TrapVector.PageFault)
        {
            ulong code = Registers.ErrorCode;
            bool write = (code & TrapVector.PfWrite) != 0, fetch = (code & TrapVector.PfInstruction) != 0;
            if (Process.Memory.Touch(Registers.FaultAddress, write, fetch)) return;
        }
        ExitGroup(WaitStatus.Killed(SignalFor(vector), false));
    }

    /// <summary>The signal Linux sends for a user-mode exception (arch/x86/kernel/traps.c).</summary>
    public static int SignalFor(int vector) => vector switch
    {
        TrapVector.DivideError => Signal.SIGFPE,
        TrapVector.X87Fpu => Signal.SIGFPE,
        TrapVector.Simd => Signal.SIGFPE,
        TrapVector.InvalidOpcode => Signal.SIGILL,
        TrapVector.Debug => Signal.SIGTRAP,
        TrapVector.Breakpoint => Signal.SIGTRAP,
        TrapVector.AlignmentCheck => Signal.SIGBUS,
        _ => Signal.SIGSEGV,
    };

    /// <summary>Ends this thread and its whole process (exit_group, or a fatal signal).</summary>
    public void ExitGroup(int waitStatus)
    {
        _exited = true;
        Process.Exit(waitStatus);
    }
}

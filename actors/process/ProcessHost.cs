// ProcessHost: the process subsystem's view of the machine — the platform
// services it receives (user mode, console, clock, power) — and its global
// tables: pids and the initramfs files that exec reads. One per kernel.
//
// State: _nextPid by Interlocked; the file table is immutable once built.
using System.Threading;
using Kevlar.Process.Syscalls;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process;

public sealed class ProcessHost
{
    private int _nextPid;

    public ProcessHost(Scheduler scheduler, IUserMode userMode, IConsoleDevice console, ISystemClock clock,
        ISystemControl control, IFileSource files)
    {
        Scheduler = scheduler;
        UserMode = userMode;
        Console = console;
        Clock = clock;
        Control = control;
        Files = files;
        Syscalls = new SyscallTable(this);
    }

    public Scheduler Scheduler { get; }
    public IUserMode UserMode { get; }
    public IConsoleDevice Console { get; }
    public ISystemClock Clock { get; }
    public ISystemControl Control { get; }
    public IFileSource Files { get; }
    public SyscallTable Syscalls { get; }

    /// <summary>Print one line per syscall (kevlar.trace=syscalls).</summary>
    public bool TraceSyscalls;

    public int AllocatePid() => Interlocked.Increment(ref _nextPid);

    /// <summary>Called when PID 1 has exited: the machine's run is over.</summary>
    internal void InitExited(int waitStatus)
    {
        Control.PowerOff(Signals.WaitStatus.ShellStatus(waitStatus));
    }
}

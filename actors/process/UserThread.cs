// UserThread: a thread of a user process, as an actor on the per-CPU
// scheduler. Its one message, Run, means "this thread may run": the handler
// drops to user mode and serves what brings it back — a system call is
// dispatched and, when it completes at once, the thread goes straight back
// to user mode; an interrupt (the time slice ended, another CPU wants this
// one) ends the handler after re-sending Run, so the CPU's other work gets
// its turn; an exception becomes a page-fault fix-up or a signal.
//
// A syscall that must wait (wait4 for a live child) leaves the thread
// blocked: it does not run again until the syscall's KernelTask completes,
// which happens inside one of this actor's own handlers (the message that
// satisfied the wait), where Resume puts the result in rax and goes back to
// user mode. Other messages: a child's exit report, an orphan to adopt, a
// signal from another process.
//
// The threads of a process live on different CPUs. Every handler holds its
// process's kernel lock (UserProcess.EnterKernel) except while the thread
// runs user code; a thread is only ever run by its own handlers, so another
// thread that must wake it (a signal to interrupt its wait) sends it a message.
//
// State (owned by the holder of the process's kernel lock): Registers,
// _exited, _blocked, the signal state.
// Invariants: 1. Run is queued at most once (Start sends it only when it is
//                not in flight).
//             2. An exited thread never enters user mode again.
//             3. A blocked thread enters user mode only through Resume.
using System;
using System.Collections.Generic;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process;

public sealed class UserThread : Actor
{
    public override string DiagnosticName => "thread";
    public override long DiagnosticId => Tid;

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

    /// <summary>Name up to its NUL, as /proc's comm shows it.</summary>
    public string NameText
    {
        get
        {
            byte[] name = Name;
            int n = 0;
            while (n < name.Length && name[n] != 0) n++;
            var chars = new char[n];
            for (int i = 0; i < n; i++) chars[i] = (char)name[i];
            return new string(chars);
        }
    }
    /// <summary>Time spent running user code and in the kernel on this thread's behalf.</summary>
    public ulong UserNanoseconds, SystemNanoseconds;
    // When the running syscall's kernel time started (its time so far is not in SystemNanoseconds yet).
    private ulong _syscallStart;

    /// <summary>Kernel time of the syscall now running, for the CPU-time clocks.</summary>
    public ulong RunningNanoseconds => _syscallStart == 0 ? 0 : Process.Host.Clock.MonotonicNanoseconds - _syscallStart;
    private readonly RunMessage _run = new RunMessage();
    private bool _exited;
    private bool _blocked;
    private KernelTask<long>? _blockedTask;
    private bool _blockedRestartable;
    private Action? _onInterrupt;
    private Action? _onAbandon;
    /// <summary>The event a blocked syscall waits on for a timer, if any; a stale timer finds another here and is dropped.</summary>
    public KernelEvent<int>? WaitEvent;
    // The timer of the wait on WaitEvent, if it has a deadline: called off when the wait ends
    // (EndWait), so a wait that ended early (woken, interrupted, killed) leaves nothing in the
    // timer queue holding this thread until a deadline that may be centuries away.
    private TimerHandle? _waitTimer;
    /// <summary>The event of a poll round's ThreadWaiter (ThreadWaiter.ForRound), until the thread
    /// waits on it (then WaitEvent) or the call is abandoned: owners may wake it while the thread
    /// still asks other owners; such a wake is kept (the event set, nobody awaiting it yet)
    /// instead of dropped, and the wait then returns at once. Written on this thread's CPU only.</summary>
    internal KernelEvent<int>? ArmedEvent;
    /// <summary>True while the blocked syscall waits for an owner's reply that carries data (a
    /// pipe read's bytes): a signal then stays pending instead of abandoning the reply, and is
    /// judged when the wait turns interruptible or the syscall returns (see Files/FileCall.cs).</summary>
    internal bool Uninterruptible;

    /// <summary>The uninterruptible part of a call ended: freeze answers its process held back
    /// for it go now (UserProcess.SendFreezeAnswers).</summary>
    internal void EndUninterruptible()
    {
        Uninterruptible = false;
        if (Process.OwesFreezeAnswers) Process.SendFreezeAnswers();
    }
    /// <summary>Signals raised but not delivered (blocked, or waiting for the return to user mode).</summary>
    public ulong PendingSignals;
    /// <summary>rt_sigtimedwait's set while it waits (0 otherwise): raising one of them wakes WaitEvent.</summary>
    internal ulong SigwaitSet;
    /// <summary>The siginfo of each pending signal.</summary>
    public readonly SignalInfo[] PendingInfo = new SignalInfo[Signal.Max + 1];
    // Further instances of pending real-time signals, oldest first (the first is in PendingInfo).
    private List<SignalInfo>? _realtimeQueue;
    // rt_sigsuspend: the mask to put back once the handler that ends the wait returns.
    private bool _restoreMask;
    private ulong _maskToRestore;

    /// <param name="numbers">Its numbers in its process's PID namespace and those above (index 0
    /// is <paramref name="tid"/>); null in the initial namespace. A main thread's are its process's.</param>
    public UserThread(UserProcess process, int tid, int[]? numbers = null)
    {
        Process = process;
        Tid = tid;
        TidNumbers = numbers;
        Uts = process.Host.InitialUts;
        Cgroups = process.Host.InitialCgroups;
        PidsForChildren = process.PidNs;
    }

    /// <summary>Its number in each PID namespace from its process's up (see the constructor).</summary>
    public readonly int[]? TidNumbers;

    /// <summary>Its number in its own PID namespace: what gettid tells it.</summary>
    public int OwnTid => TidNumbers == null ? Tid : TidNumbers[TidNumbers.Length - 1];

    /// <summary>The PID namespace this thread's new processes go into (Linux's pid_ns_for_children):
    /// its process's, until unshare(CLONE_NEWPID) or setns moves it below. Written only by this
    /// thread's own syscalls.</summary>
    public Namespaces.PidNamespace PidsForChildren;

    /// <summary>This thread's UTS namespace (uname, sethostname); fork and clone pass it on,
    /// CLONE_NEWUTS replaces it. Written only by this thread's own syscalls, before it runs.</summary>
    public Namespaces.UtsNamespace Uts;

    /// <summary>cgroup.freeze of the cgroup this thread is placed in apart from its process (cgroup
    /// thread mode): null while it is with its process, whose Frozen then decides. Set on its
    /// process's CPU (UserProcess.SetThreadFrozen); a thread made by a placed one starts with its value.</summary>
    internal bool? FrozenApart;

    /// <summary>Its cgroup froze it: it does not enter user mode until thawed.</summary>
    public bool IsFrozen => FrozenApart ?? Process.Frozen;

    /// <summary>This thread's cgroup namespace; passed on and replaced as Uts is (CLONE_NEWCGROUP).</summary>
    public Namespaces.CgroupNamespace Cgroups;

    public bool HasExited => _exited;

    /// <summary>A syscall of this thread waits (ps shows S).</summary>
    public bool IsBlocked => _blocked;

    /// <summary>Set by sched_yield: after the syscall, the handler ends and the thread queues again.</summary>
    public bool YieldRequested;

    /// <summary>CPUs an affinity mask can name (one bit each in AffinityMask).</summary>
    public const int MaxAffinityCpus = 64;

    /// <summary>sched_setaffinity's mask: bit n set when CPU n may run this thread (every CPU
    /// until set; fork and clone copy it). Written by any thread's syscall, hence Atomic.</summary>
    public long AffinityMask = -1;

    /// <summary>Whether the affinity mask allows <paramref name="cpu"/>.</summary>
    public bool MayRunOn(int cpu) => cpu < MaxAffinityCpus && ((Atomic.Load(ref AffinityMask) >> cpu) & 1) != 0;

    /// <summary>The lowest CPU the mask allows (a mask always allows one of the online CPUs).</summary>
    public int FirstAllowedCpu()
    {
        int cpus = Process.Host.Scheduler.CpuCount;
        for (int c = 0; c < cpus; c++) if (MayRunOn(c)) return c;
        return Home;
    }

    // Moves this thread to an allowed CPU when its home is not one. Called in a handler, on
    // the home CPU, right before the handler ends with Start(): the Run it sends goes to the
    // new home, where the migration protocol (Scheduler.Migration.cs) holds it until every
    // older message has been forwarded, so the thread next runs there and nowhere else. If an
    // earlier move has not finished, Migrate refuses and the next slice tries again.
    private void MoveIntoAffinity()
    {
        if (MayRunOn(Home)) return;
        Process.Host.Scheduler.Migrate(this, FirstAllowedCpu());
    }

    /// <summary>Queues the thread to run on its home CPU, unless it is queued already.</summary>
    public void Start() => Process.Host.Scheduler.SendIfIdle(this, _run);

    protected internal override void Receive(Message m)
    {
        UserProcess p = Process;
        p.EnterKernel(this);
        Handle(m);
        p.LeaveKernel(this);
    }

    private void Handle(Message m)
    {
        if (m == _run)
        {
            if (!_blocked) RunUntilYield();
            return;
        }
        var exited = m as ChildExitedMessage;
        if (exited != null)
        {
            Process.OnChildExited(exited.Child);
            return;
        }
        var state = m as ChildStateMessage;
        if (state != null)
        {
            Process.OnChildState(state.Child, state.Status);
            return;
        }
        var adopt = m as AdoptMessage;
        if (adopt != null)
        {
            Process.OnAdopt(adopt.Child, adopt.Zombie);
            return;
        }
        var timer = m as TimerMessage;
        if (timer != null)
        {
            if (timer.Event == WaitEvent) timer.Event.Set(0);
            return;
        }
        var realTimer = m as RealTimerTick;
        if (realTimer != null)
        {
            Process.IntervalTimers.OnRealTick(realTimer.Generation);
            return;
        }
        var query = m as ProcessQuery;
        if (query != null)
        {
            query.Answer(this);
            return;
        }
        var moved = m as RootMovedMessage;
        if (moved != null)
        {
            Process.ReplaceRoot(moved.OldRoot, moved.NewRoot);
            return;
        }
        if (m is SignalWakeMessage)
        {
            // Another thread raised a signal here while this one waited: interrupt the wait if
            // a signal with a handler is still deliverable (it may have been taken meanwhile).
            int decision = SignalDelivery.HasDeliverable(this) ? SignalDelivery.RestartDecision(this) : -1;
            if (decision >= 0) InterruptForSignal(decision > 0);
            return;
        }
        var wake = m as WakeMessage;
        if (wake != null)
        {
            if (!_exited && (wake.Event == WaitEvent || (wake.Event == ArmedEvent && !Kevlar.Runtime.Diagnostics.SeededBugs.WakeDroppedBeforeWait)) && !wake.Event.IsSet) wake.Event.Set(wake.Value);
            return;
        }
        var signal = m as SignalMessage;
        if (signal == null) return;
        UserThread? target = signal.ToProcess ? Process.SignalTarget(signal.Signal) : this;
        if (target == null || (!signal.ToProcess && _exited)) return;
        SignalDelivery.Raise(target, signal.Signal, signal.Code, signal.SenderPid, signal.SenderUid);
    }

    /// <summary>The running syscall waits for <paramref name="task"/>; the thread stops until it
    /// completes or a signal with a handler interrupts it (then -EINTR, or the call is made
    /// again when <paramref name="restartable"/> and the handler has SA_RESTART).</summary>
    internal void Block(KernelTask<long> task, bool restartable)
    {
        _blocked = true;
        _blockedTask = task;
        _blockedRestartable = restartable;
        task.OnCompleted(result => Resume(task, result));
    }

    // The blocking syscall finished (inside one of this actor's handlers): its result, then user
    // mode again. A task abandoned by an interruption may still complete later: it is ignored.
    private void Resume(KernelTask<long> task, long result)
    {
        if (!_blocked || task != _blockedTask) return;
        _blocked = false;
        _blockedTask = null;
        _onInterrupt = null;
        Uninterruptible = false;
        if (_exited) return;
        if (result == -InternalErrno.ERESTARTSYS) SetInterruptedResult(_blockedRestartable);
        else Registers.Rax = (ulong)result;
        RunUntilYield();
    }

    /// <summary>A deliverable signal with a handler arrived: a blocked syscall ends with -EINTR (or
    /// is restarted), and the thread runs so the handler can be delivered.</summary>
    internal void InterruptForSignal(bool restart)
    {
        if (!Process.IsInKernel(this))
        {
            // Raised by another thread's handler, maybe on another CPU: this thread runs only in
            // its own handlers. A waiting thread is told by a message; a running one is brought
            // back to the kernel, where it delivers the signal before it returns to user mode.
            if (_exited) return;
            if (_blocked && !Uninterruptible) Process.Host.Scheduler.Send(this, new SignalWakeMessage());
            else if (!_blocked) Process.Host.UserMode.Recall(Process.Pages);
            return;
        }
        if (!_blocked || _exited || Uninterruptible) return;
        _blocked = false;
        _blockedTask = null;
        EndWait();
        ArmedEvent = null;
        Action? onInterrupt = _onInterrupt, onAbandon = _onAbandon;
        _onInterrupt = null;
        _onAbandon = null;
        onAbandon?.Invoke();
        onInterrupt?.Invoke();
        if (restart && _blockedRestartable)
        {
            Registers.Rax = Registers.OrigRax;
            Registers.Rip -= 2; // the syscall instruction is two bytes: run it again
        }
        else
        {
            Registers.Rax = unchecked((ulong)(long)-Errno.EINTR);
        }
        RunUntilYield();
    }

    /// <summary>A syscall ended with -ERESTARTSYS (its wait saw a signal pending before it could
    /// block, or job control stopped it): with no handler to run it is made again; with one, it
    /// is made again when <paramref name="restartable"/> and the handler has SA_RESTART, else it
    /// returns -EINTR — as Linux decides it.</summary>
    internal void SetInterruptedResult(bool restartable)
    {
        int decision = SignalDelivery.RestartDecision(this);
        if (decision < 0 || (restartable && decision > 0))
        {
            Registers.Rax = Registers.OrigRax;
            Registers.Rip -= 2; // the syscall instruction is two bytes: run it again
        }
        else
        {
            Registers.Rax = unchecked((ulong)(long)-Errno.EINTR);
        }
    }

    /// <summary>What to do when a signal interrupts the blocked call (besides OnAbandon's), e.g.
    /// write the time left; never run when the thread dies (the memory may be another image's).</summary>
    internal void OnInterrupt(Action? action) => _onInterrupt = action;

    /// <summary>What to undo when the blocked call is abandoned, by a signal or by the thread's
    /// death: a registration with an owner (a waiter, a futex queue entry).</summary>
    internal void OnAbandon(Action? action) => _onAbandon = action;

    /// <summary>The blocked syscall waits on <paramref name="e"/>; with a <paramref name="deadline"/>
    /// (monotonic ns, 0 none) a timer sets it to 0 then, unless the wait has ended. On this thread's CPU.</summary>
    internal void BeginWait(KernelEvent<int> e, ulong deadline)
    {
        WaitEvent = e;
        _waitTimer?.Cancel();
        _waitTimer = deadline != 0 ? Process.Host.Timers.Start(deadline, this, new TimerMessage(e)) : null;
    }

    /// <summary>The wait is over (or abandoned): its timer, if any, is called off.</summary>
    internal void EndWait()
    {
        WaitEvent = null;
        TimerHandle? timer = _waitTimer;
        _waitTimer = null;
        timer?.Cancel();
    }

    /// <summary>Queues another instance of a pending real-time signal.</summary>
    internal void QueueRealtime(in SignalInfo info)
    {
        _realtimeQueue ??= new List<SignalInfo>();
        _realtimeQueue.Add(info);
    }

    /// <summary>After delivering <paramref name="signal"/>: moves its next queued instance into
    /// PendingInfo and returns true, or returns false when none is left.</summary>
    internal bool TakeQueuedRealtime(int signal)
    {
        if (_realtimeQueue == null) return false;
        for (int i = 0; i < _realtimeQueue.Count; i++)
        {
            if (_realtimeQueue[i].Signal != signal) continue;
            PendingInfo[signal] = _realtimeQueue[i];
            _realtimeQueue.RemoveAt(i);
            return true;
        }
        return false;
    }

    /// <summary>rt_sigsuspend: run with <paramref name="mask"/> until a handler runs, then restore the old mask.</summary>
    internal void SuspendWithMask(ulong mask)
    {
        _maskToRestore = SignalMask;
        _restoreMask = true;
        SignalMask = mask;
    }

    /// <summary>ppoll/pselect6 returned without delivering a signal: their temporary mask goes.</summary>
    internal void EndTemporaryMask()
    {
        if (!_restoreMask) return;
        _restoreMask = false;
        SignalMask = _maskToRestore;
    }

    /// <summary>The mask a signal frame saves (and sigreturn restores).</summary>
    internal ulong TakeMaskToRestore()
    {
        if (!_restoreMask) return SignalMask;
        _restoreMask = false;
        return _maskToRestore;
    }

    // The thread runs user code here until it yields; then this CPU gives up the part of its FPU
    // state it kept (IUserMode.TakeFpu), so the thread may run next on any CPU.
    private void RunUntilYield()
    {
        RunLoop();
        Process.Host.UserMode.TakeFpu(ref Registers);
    }

    private void RunLoop()
    {
        ProcessHost host = Process.Host;
        ulong now = host.Clock.MonotonicNanoseconds;
        while (!_exited)
        {
            if (SignalDelivery.HasDeliverable(this) && !SignalDelivery.DeliverPending(this)) return;
            if (_exited || Process.Stopped || IsFrozen) return; // runs again on SIGCONT or a thaw (both queue Run)
            UserProcess p = Process;
            IPageTables pages = p.Pages;
            p.LeaveKernel(this);
            int reason = host.UserMode.Run(ref Registers, pages);
            p.EnterKernel(this);
            ulong back = host.Clock.MonotonicNanoseconds;
            // exit_group, exec or a fatal signal on another CPU ended this thread meanwhile.
            if (_exited || reason == UserRegisters.SpaceGoneReason) return;
            ulong user = back - now;
            UserNanoseconds += user;
            if (reason == UserRegisters.SyscallReason)
            {
                _syscallStart = back;
                bool blocked = !host.Syscalls.Dispatch(this);
                _syscallStart = 0;
                now = host.Clock.MonotonicNanoseconds;
                SystemNanoseconds += now - back;
                Process.IntervalTimers.Charge(user, now - back);
                if (blocked) return;
                if (YieldRequested)
                {
                    YieldRequested = false;
                    MoveIntoAffinity();
                    Start();
                    return;
                }
                continue;
            }
            now = back;
            Process.IntervalTimers.Charge(user, 0);
            if (reason >= TrapVector.FirstInterrupt)
            {
                MoveIntoAffinity();
                Start();
                return;
            }
            if (HandleException(reason))
            {
                Start(); // out of memory: let the others run (the OOM victim exits), then fault again
                return;
            }
        }
    }

    /// <summary>When this thread's current wait for memory began (0: not waiting).</summary>
    internal ulong OutOfMemorySince;

    /// <summary>The arrays this thread's epoll_wait works in, kept between calls (EpollRoundBuffers).</summary>
    internal Files.Events.EpollRoundBuffers? EpollBuffers;

    /// <summary>The arrays this thread's poll and select work in, kept between calls (PollBuffers).</summary>
    internal Files.PollBuffers? PollBuffers;

    // A user-mode exception: served (a page made present), or a signal raised. True when the
    // thread must yield and fault again because memory ran out and a process was killed for it.
    private bool HandleException(int vector)
    {
        var info = new SignalInfo { Signal = SignalFor(vector), IsFault = true, Address = Registers.Rip };
        if (vector == TrapVector.PageFault)
        {
            ulong code = Registers.ErrorCode;
            bool write = (code & TrapVector.PfWrite) != 0, fetch = (code & TrapVector.PfInstruction) != 0;
            if (Process.Memory.Touch(Registers.FaultAddress, write, fetch))
            {
                OutOfMemorySince = 0;
                return false;
            }
            if (Process.Memory.TouchFoundNoMemory) return Memory.OutOfMemory.Handle(this);
            info.Address = Registers.FaultAddress;
            // Linux: ACCERR when a mapping is there but forbids the access, MAPERR when none is.
            info.Code = Process.Memory.Find(Registers.FaultAddress) != null ? SignalInfo.SEGV_ACCERR : SignalInfo.SEGV_MAPERR;
        }
        else if (vector == TrapVector.GeneralProtection)
        {
            info.Code = SignalInfo.SI_KERNEL;
            info.Address = 0;
        }
        else
        {
            info.Code = vector == TrapVector.InvalidOpcode ? SignalInfo.ILL_ILLOPN : vector == TrapVector.DivideError ? SignalInfo.FPE_INTDIV
                : vector == TrapVector.Breakpoint ? SignalInfo.SI_KERNEL : vector == TrapVector.AlignmentCheck ? SignalInfo.BUS_ADRALN : 0;
        }
        SignalDelivery.Fault(this, in info);
        return false;
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
    public void ExitGroup(int waitStatus) => Process.ExitGroup(waitStatus);

    /// <summary>exit(2): ends this thread only; the process ends with the last one.</summary>
    public void ExitThread(int waitStatus)
    {
        if (_exited) return;
        Terminate();
        Process.ThreadExited(this, waitStatus);
    }

    /// <summary>Stops the thread for good: it never runs user code again. set_tid_address's
    /// word is cleared and its futex woken, as Linux does when a thread dies.</summary>
    internal void Terminate()
    {
        if (_exited) return;
        _exited = true;
        _blocked = false;
        _blockedTask = null;
        EndWait();
        // A wait the thread dies in is abandoned: what it registered goes (a waiter left in a quiet
        // owner's queue would hold this thread, and its process, for good).
        Action? onAbandon = _onAbandon;
        _onAbandon = null;
        _onInterrupt = null;
        onAbandon?.Invoke();
        Process.UserNanoseconds += UserNanoseconds;
        Process.SystemNanoseconds += SystemNanoseconds;
        Syscalls.Futex.ReleaseRobustList(this);
        if (ClearChildTid != 0 && !Process.Exited)
        {
            Process.UserMemory.WriteInt32(ClearChildTid, 0);
            Process.Futexes.Wake(Process, ClearChildTid, 1, Syscalls.Futex.BitsetMatchAny);
        }
        // A thread's numbers go with it; the main thread's are its process's, kept until the reap.
        if (TidNumbers != null && Tid != Process.Pid) Process.PidNs.ReleaseThread(Tid);
    }
}

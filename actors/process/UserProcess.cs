// UserProcess: a Linux process — its pid, memory, open files, credentials,
// family, threads and exit. Its threads (actors) may live on different CPUs
// and run user code in parallel; their handlers touch this state only while
// holding the process's StepLock (EnterKernel/LeaveKernel), which each lets go
// while its thread runs user code. So the state sees one handler at a time, as
// an actor's does, and needs no other lock (docs/decisions.md, "Threads of one
// process run on several CPUs").
//
// State (owned by the holder of KernelLock): everything below, except Parent,
// which the old parent or init writes when reparenting and the process reads
// when it exits (a stale read only sends the exit report to a dead parent,
// which forwards it to init), and what is published for other CPUs
// (ThreadSnapshot, SignalEdges, CommandLine/Environment references).
// Invariants: 1. Exited processes hold no pages (memory cleared, tables destroyed).
//             2. A child is in its parent's Children until its exit report
//                arrives, then in Zombies until reaped; never in both.
//             3. Every exit report reaches a live parent or init (dead parents forward).
//             4. No thread of an exited process runs user code again (the teardown's
//                shootdown brings running ones back; they find themselves exited).
using System.Collections.Generic;
using System.Threading;
using Kevlar.Process.Files;
using Kevlar.Vfs.Mounts;
using Kevlar.Process.Memory;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process;

public sealed class UserProcess
{
    public readonly ProcessHost Host;
    /// <summary>The kernel's number for this process (its number in the initial PID namespace);
    /// what a caller sees is its number in the caller's namespace (PidNs, PidNumbers).</summary>
    public readonly int Pid;
    /// <summary>Its PID namespace, for life (Linux's task_active_pid_ns).</summary>
    public readonly Namespaces.PidNamespace PidNs;
    /// <summary>Its number in PidNs and each namespace above, by level (index 0 is Pid); null in
    /// the initial namespace, where Pid is the only one.</summary>
    public readonly int[]? PidNumbers;
    /// <summary>The process group and session, by the kernel's number of their leader.</summary>
    public int ProcessGroup;
    public int Session;
    /// <summary>The controlling terminal as this process last knew it (inherited at fork, dropped by
    /// setsid and TIOCNOTTY); it is really one only while the terminal's Session is this Session —
    /// the terminal, which owns that, checks.</summary>
    public Files.Tty.Terminal? ControllingTty;
    private UserProcess? _parent;

    public IPageTables Pages;
    public MemoryMap Memory;
    public UserMemory UserMemory;
    public FileDescriptorTable Files = new FileDescriptorTable();
    /// <summary>Set by the first F_SETLK/F_SETLKW: only then does a close look for POSIX locks to
    /// drop. Touched under this process's kernel lock.</summary>
    public bool TookRecordLocks;
    /// <summary>This process in the cgroup tree; null until first needed (the root cgroup). Made
    /// and read with compare-and-swap on any CPU (Files/Cgroups/CgroupCall.cs).</summary>
    public Kevlar.Cgroups.CgroupMember? CgroupMember;
    public UserThread MainThread = null!;

    // Held by a thread's handler while it runs kernel code for this process (see the top). A
    // process that has only ever had one thread skips it: that thread's handlers run one at a
    // time on its CPU anyway. The second thread's creation (in the first one's step) takes the
    // lock for the rest of that step and sets _threaded before the new thread can run.
    private readonly StepLock _kernelLock = new StepLock();
    private UserThread? _inKernel;
    private bool _threaded, _locked;

    /// <summary>A handler of <paramref name="t"/> starts (or comes back from user mode): waits until
    /// no other thread of this process runs kernel code.</summary>
    internal void EnterKernel(UserThread t)
    {
        if (Volatile.Read(ref _threaded))
        {
            _kernelLock.Enter(Host.Scheduler.Platform);
            _locked = true;
        }
        _inKernel = t;
    }

    /// <summary><paramref name="t"/>'s handler ends, or its thread goes to user mode.</summary>
    internal void LeaveKernel(UserThread t)
    {
        Kassert.True(_inKernel == t, "LeaveKernel: the thread does not hold its process");
        _inKernel = null;
        if (!_locked) return;
        _locked = false;
        _kernelLock.Exit();
    }

    // A second thread is about to exist: from now on every step takes the lock, this one included.
    private void BecomeThreaded()
    {
        if (_threaded) return;
        if (_inKernel != null)
        {
            _kernelLock.Enter(Host.Scheduler.Platform);
            _locked = true;
        }
        Volatile.Write(ref _threaded, true);
    }

    /// <summary>Whether <paramref name="t"/>'s handler is the one running kernel code for this
    /// process now (so it may run <paramref name="t"/> on this CPU).</summary>
    internal bool IsInKernel(UserThread t) => _inKernel == t;
    /// <summary>Live threads (MainThread first while it lives).</summary>
    public readonly List<UserThread> Threads = new List<UserThread>();
    private UserThread[] _threadSnapshot = new UserThread[0];

    /// <summary>The live threads as last published, for lookups from other CPUs (tgkill).</summary>
    public UserThread[] ThreadSnapshot => Volatile.Read(ref _threadSnapshot);
    /// <summary>Futex waiters, by user address.</summary>
    public readonly FutexTable Futexes = new FutexTable();

    /// <summary>Threads of this process waiting in a signalfd read or poll for a signal to become
    /// pending on one of its threads; woken by SignalBecamePending (both on this CPU).</summary>
    internal readonly WaitQueue SignalWaiters = new WaitQueue();
    private long _signalEdges;

    /// <summary>How often a signal became pending on a thread here (signalfd's epoll edge); read
    /// from any CPU as a hint.</summary>
    internal ulong SignalEdges => (ulong)Volatile.Read(ref _signalEdges);

    /// <summary>SignalDelivery.Raise recorded a pending signal: signalfd waiters ask again.</summary>
    internal void SignalBecamePending()
    {
        Volatile.Write(ref _signalEdges, _signalEdges + 1);
        if (SignalWaiters.Count > 0) SignalWaiters.Wake(Host.Scheduler, PollEvents.POLLIN);
    }

    /// <summary>Live children, and children that exited and wait to be reaped.</summary>
    public readonly List<UserProcess> Children = new List<UserProcess>();
    public readonly List<UserProcess> Zombies = new List<UserProcess>();
    /// <summary>The event a thread in wait4 awaits, and that thread: a child's exit report wakes it.</summary>
    public KernelEvent<int>? ChildEvent;
    public UserThread? ChildWaiter;

    /// <summary>The heap: [BrkStart, Brk) is mapped as the "[heap]" region.</summary>
    public ulong BrkStart, Brk;
    /// <summary>The absolute path of the running program (/proc/self/exe).</summary>
    public string ExecutablePath = string.Empty;
    /// <summary>argv and envp as exec gave them, NUL-separated (/proc/[pid]/cmdline, environ);
    /// replaced whole at each exec, so any CPU may read the reference.</summary>
    public byte[] CommandLine = new byte[0], Environment = new byte[0];
    /// <summary>Set by a successful execve: a parent may no longer move it to another group (setpgid's EACCES).</summary>
    public bool HasExeced;
    /// <summary>Monotonic time of creation (/proc/[pid]/stat's starttime).</summary>
    public ulong StartNanoseconds;
    /// <summary>The working directory and the root directory (chroot); the VfsActor's objects,
    /// only named here.</summary>
    public Location Cwd, Root;
    /// <summary>The mount namespace: the tree mount(2), umount2(2), pivot_root(2) and /proc/self/mounts
    /// work on (Root is in it unless its mount was lazily unmounted). Shared by fork; CLONE_NEWNS and
    /// setns replace it, together with Root and Cwd (set before the process runs or by its own
    /// thread). The VfsActor's object, only named here; the process counts as one of its users
    /// until it exits, and the last user's going has the VfsActor take every mount down.</summary>
    public MountTree Mounts
    {
        get => _mounts;
        set
        {
            if (ReferenceEquals(value, _mounts)) return;
            value.Join();
            MountTree old = _mounts;
            _mounts = value;
            if (old != null) LeaveMounts(old);
        }
    }
    private MountTree _mounts = null!;
    public uint Umask = 0x12; // 022

    public uint Uid, Euid, Suid, Gid, Egid, Sgid;
    public uint[] Groups = new uint[0];
    public readonly ResourceLimits Limits = new ResourceLimits();
    public readonly SignalActions SignalActions = new SignalActions();
    /// <summary>setitimer(2)'s three timers (a fork's child starts with none armed).</summary>
    public readonly IntervalTimers IntervalTimers;
    /// <summary>PR_SET_DUMPABLE; cleared for set-id programs.</summary>
    public bool Dumpable = true;
    /// <summary>PR_SET_PDEATHSIG: the signal this process gets when its parent exits (0: none);
    /// cleared by fork in the child.</summary>
    public int ParentDeathSignal;
    /// <summary>PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented here, not to init.
    /// Read from other CPUs when their processes exit (a stale answer sends the orphan to a
    /// reaper that has just exited, which passes it on).</summary>
    public bool ChildSubreaper;
    /// <summary>PR_SET_NO_NEW_PRIVS: kept across fork and exec, never cleared.</summary>
    public bool NoNewPrivileges;

    /// <summary>CPU time of reaped children (times, RUSAGE_CHILDREN).</summary>
    public ulong ChildrenUserNanoseconds, ChildrenSystemNanoseconds;

    /// <summary>CPU time of this process's threads that have ended.</summary>
    public ulong UserNanoseconds, SystemNanoseconds;

    public bool Exited;
    /// <summary>The OOM killer chose this process (its SIGKILL is on the way).</summary>
    public bool KilledForMemory;
    public int ExitWaitStatus;

    /// <summary>Stopped by a stop signal (job control): its threads do not run until SIGCONT.</summary>
    public bool Stopped;
    /// <summary>Frozen by its cgroup (cgroup.freeze): its threads do not enter user mode until
    /// thawed. Unlike a stop, nobody is told and SIGCONT does not end it; SIGKILL still does.</summary>
    public bool Frozen;

    /// <summary>cgroup.freeze reached this process (on its CPU, Files/Cgroups/CgroupFs.Freeze):
    /// asked to stop (a <paramref name="generation"/> above 0) its threads stay out of user mode
    /// from their next run, and it answers the tree; asked to run (0), it queues them again.</summary>
    internal void SetFrozen(int generation)
    {
        if (Exited) return;
        bool frozen = generation != 0;
        if (Frozen != frozen)
        {
            Frozen = frozen;
            if (frozen) Host.UserMode.Recall(Pages); // threads running user code on other CPUs stop now
            else for (int i = 0; i < Threads.Count; i++) if (!Threads[i].IsFrozen) Threads[i].Start();
        }
        if (frozen) OweFreezeAnswer(0, generation);
    }

    /// <summary>Thread <paramref name="tid"/> was placed apart in a cgroup that asks it to stop
    /// (<paramref name="generation"/> above 0) or to run (0), or came back to this process's
    /// (null): as SetFrozen, for it alone. A thread that ended (or was never made) answers too.</summary>
    internal void SetThreadFrozen(int tid, int? generation)
    {
        if (Exited) return;
        UserThread? t = ThreadOf(tid);
        bool? frozen = generation == null ? null : generation > 0;
        if (t != null && t.FrozenApart != frozen)
        {
            bool was = t.IsFrozen;
            t.FrozenApart = frozen;
            if (t.IsFrozen != was)
            {
                if (t.IsFrozen) Host.UserMode.Recall(Pages); // the others come back and go on
                else t.Start();
            }
        }
        if (generation > 0) OweFreezeAnswer(tid, generation.Value);
    }

    // Freeze answers owed to the cgroup tree: tid (0: the process) and generation, in pairs.
    private List<int>? _freezeAnswers;

    /// <summary>Answers owed to cgroup.freeze wait for this process's uninterruptible calls.</summary>
    internal bool OwesFreezeAnswers => _freezeAnswers != null && _freezeAnswers.Count > 0;

    private void OweFreezeAnswer(int tid, int generation)
    {
        _freezeAnswers ??= new List<int>();
        _freezeAnswers.Add(tid);
        _freezeAnswers.Add(generation);
        SendFreezeAnswers();
    }

    /// <summary>Sends the freeze answers owed, unless a thread is inside an uninterruptible call
    /// (a round trip to an owner: Linux's D state, which a freeze waits out); the end of that
    /// call sends them (UserThread.EndUninterruptible).</summary>
    internal void SendFreezeAnswers()
    {
        if (!OwesFreezeAnswers) return;
        for (int i = 0; i < Threads.Count; i++) if (Threads[i].Uninterruptible && !Threads[i].HasExited) return;
        List<int> owed = _freezeAnswers!;
        _freezeAnswers = null;
        Kevlar.Process.Files.Cgroups.CgroupCall.AnswerFreeze(this, owed);
    }

    /// <summary>Stops and continues of children not yet reported by wait4/waitid (WUNTRACED,
    /// WCONTINUED), in arrival order: the child and its wait status. Owned by this process.</summary>
    public readonly List<UserProcess> StateChildren = new List<UserProcess>();
    public readonly List<int> StateStatuses = new List<int>();

    /// <summary>A process with a new, empty address space (PID 1).</summary>
    public UserProcess(ProcessHost host, int pid, UserProcess? parent)
        : this(host, pid, parent, host.UserMode.CreateAddressSpace())
    {
    }

    public UserProcess(ProcessHost host, int pid, UserProcess? parent, IPageTables pages, Namespaces.PidNamespace? pids = null, int[]? numbers = null)
    {
        Host = host;
        Pid = pid;
        PidNs = pids ?? host.InitialPids;
        PidNumbers = numbers;
        _parent = parent;
        ProcessGroup = pid;
        Session = pid;
        Pages = pages;
        Memory = new MemoryMap(Pages);
        UserMemory = new UserMemory(Memory);
        IntervalTimers = new IntervalTimers(this);
        Mounts = parent != null ? parent.Mounts : host.Vfs.Namespace.Mounts;
        Cwd = Root = Mounts.Root;
        Files.Process = this;
        StartNanoseconds = host.Clock.MonotonicNanoseconds;
        host.ProcessCreated();
    }

    /// <summary>The process becomes visible to kill, /proc and the rest that look pids up: its
    /// creator calls this once the main thread is set and registered, so no other CPU finds a
    /// process it cannot yet send a message to (a kill of the group on another CPU did).</summary>
    public void EnterTable(UserThread main)
    {
        Kassert.True(MainThread == main && main.Process == this, "a process is published with its main thread");
        Host.Table.Add(this);
        // A namespace above whose init exited while this fork was under way killed what the
        // table held: a process entering it after that goes the same way.
        for (Namespaces.PidNamespace? n = PidNs; n != null && n.Level > 0; n = n.Parent)
        {
            if (!n.Dying) continue;
            Host.Scheduler.Send(main, new SignalMessage(Signal.SIGKILL, SignalInfo.SI_KERNEL, 0, 0, true));
            return;
        }
    }

    /// <summary>Its number in its own namespace: what getpid tells it.</summary>
    public int OwnPid => PidNumbers == null ? Pid : PidNumbers[PidNumbers.Length - 1];

    /// <summary>The init of a PID namespace other than the first (number 1 there).</summary>
    public bool IsNamespaceInit => PidNumbers != null && OwnPid == 1;

    public UserProcess? Parent
    {
        get => Volatile.Read(ref _parent);
        set => Volatile.Write(ref _parent, value);
    }

    /// <summary>The parent's number as this process sees it (getppid): 0 with no parent, or one
    /// outside this process's PID namespace.</summary>
    public int ParentPid
    {
        get
        {
            UserProcess? parent = Parent;
            return parent == null ? 0 : PidNs.NumberOf(parent);
        }
    }

    /// <summary>Linux's may_expand_vm: whether the mappings may grow by <paramref name="bytes"/>
    /// under RLIMIT_AS, <paramref name="dataBytes"/> of them data (private, writable, not a stack)
    /// under RLIMIT_DATA; mmap, mremap and brk fail with ENOMEM past either.</summary>
    internal bool MayExpand(ulong bytes, ulong dataBytes)
    {
        if (!Within(Memory.MappedBytes, bytes, Limits.Soft(ResourceLimits.RLIMIT_AS))) return false;
        return dataBytes == 0 || Within(Memory.CoveredBytes(0, ulong.MaxValue, true), dataBytes, Limits.Soft(ResourceLimits.RLIMIT_DATA));
    }

    private static bool Within(ulong used, ulong more, ulong limit) => more <= limit && used <= limit - more;

    /// <summary>A thread ended (exit, or its share of exit_group): the process ends with
    /// <paramref name="waitStatus"/> when it was the last one.</summary>
    internal void ThreadExited(UserThread t, int waitStatus)
    {
        Threads.Remove(t);
        Publish();
        // The last thread leaves the zombie, which keeps one task charged until it is reaped.
        if (Threads.Count == 0) Exit(waitStatus);
        else Process.Files.Cgroups.CgroupCall.ThreadEnded(this, t.Tid);
    }

    /// <summary>pivot_root's chroot_fs_refs: a root or working directory at <paramref name="oldRoot"/> moves to <paramref name="newRoot"/>.</summary>
    public void ReplaceRoot(Location oldRoot, Location newRoot)
    {
        if (Root == oldRoot) Root = newRoot;
        if (Cwd == oldRoot) Cwd = newRoot;
    }

    /// <summary>A new thread of this process (the first is MainThread).</summary>
    public void AddThread(UserThread t)
    {
        if (Threads.Count > 0) BecomeThreaded();
        Threads.Add(t);
        Publish();
    }

    private void Publish() => Volatile.Write(ref _threadSnapshot, Threads.ToArray());

    /// <summary>exit_group or a fatal signal: every thread stops, then the process ends.</summary>
    public void ExitGroup(int waitStatus)
    {
        if (Exited) return;
        var all = Threads.ToArray();
        for (int i = 0; i < all.Length; i++) all[i].Terminate();
        Threads.Clear();
        Publish();
        // The zombie keeps one task: its leader's, or the first thread's when the leader ended before.
        int stays = all.Length > 0 ? all[0].Tid : 0;
        for (int i = 0; i < all.Length; i++) if (all[i].Tid == Pid) stays = Pid;
        Process.Files.Cgroups.CgroupCall.ThreadsEnded(this, all, stays);
        Exit(waitStatus);
    }

    /// <summary>execve: every thread but <paramref name="survivor"/> ends; it becomes the main thread.</summary>
    internal void KeepOnlyThread(UserThread survivor)
    {
        var all = Threads.ToArray();
        for (int i = 0; i < all.Length; i++)
            if (all[i] != survivor) all[i].Terminate();
        Threads.Clear();
        Threads.Add(survivor);
        Publish();
        Process.Files.Cgroups.CgroupCall.ThreadsEnded(this, all, survivor.Tid);
        MainThread = survivor;
    }

    /// <summary>A stop signal's default action: the threads stop running, and the parent hears
    /// of it (wait4 with WUNTRACED, SIGCHLD with CLD_STOPPED unless SA_NOCLDSTOP).</summary>
    internal void Stop(int signal)
    {
        if (Stopped || Exited) return;
        Stopped = true;
        // Threads running user code on other CPUs stop before the parent hears of it.
        Host.UserMode.Recall(Pages);
        ReportState(WaitStatus.Stopped(signal));
    }

    /// <summary>Whether this process's group is orphaned: no member has a parent in another group
    /// of the same session (init does not count), as Linux's is_current_pgrp_orphaned decides.</summary>
    public bool InOrphanedProcessGroup()
    {
        UserProcess[] all = Host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess m = all[i];
            if (m.ProcessGroup != ProcessGroup || m.Exited) continue;
            UserProcess? parent = m.Parent;
            if (parent != null && parent.Pid != 1 && parent.ProcessGroup != ProcessGroup && parent.Session == m.Session) return false;
        }
        return true;
    }

    /// <summary>SIGCONT: a stopped process runs again (threads queued), and the parent hears
    /// of it (WCONTINUED, CLD_CONTINUED); pending stop signals are dropped either way.</summary>
    internal void Continue()
    {
        const ulong stops = (1UL << (Signal.SIGSTOP - 1)) | (1UL << (Signal.SIGTSTP - 1)) | (1UL << (Signal.SIGTTIN - 1)) | (1UL << (Signal.SIGTTOU - 1));
        DiscardPending(stops);
        if (!Stopped || Exited) return;
        Stopped = false;
        for (int i = 0; i < Threads.Count; i++) Threads[i].Start();
        ReportState(WaitStatus.Continued);
    }

    /// <summary>Drops <paramref name="signals"/> from every thread's pending set.</summary>
    internal void DiscardPending(ulong signals)
    {
        for (int i = 0; i < Threads.Count; i++) Threads[i].PendingSignals &= ~signals;
    }

    private void ReportState(int status)
    {
        UserProcess? parent = Parent;
        if (parent != null) Host.Scheduler.Send(parent.MainThread, new ChildStateMessage(this, status));
    }

    /// <summary>A child stopped or continued (in a handler of this process): kept for wait, a waiter
    /// woken, SIGCHLD raised unless SA_NOCLDSTOP.</summary>
    internal void OnChildState(UserProcess child, int status)
    {
        if (Exited || child.Reaped) return;
        for (int i = 0; i < StateChildren.Count; i++)
        {
            if (StateChildren[i] != child) continue;
            StateChildren.RemoveAt(i);
            StateStatuses.RemoveAt(i);
            break;
        }
        StateChildren.Add(child);
        StateStatuses.Add(status);
        WakeChildWaiter(child.Pid);
        if ((SignalActions.Get(Signal.SIGCHLD).Flags & SignalAction.SA_NOCLDSTOP) == 0) RaiseSigchld(child, status);
    }

    // A wait4/waitid sleeping on this process hears of a child (a message to its thread).
    private void WakeChildWaiter(int pid)
    {
        if (ChildEvent == null || ChildWaiter == null) return;
        Host.Scheduler.Send(ChildWaiter, new WakeMessage(ChildEvent, pid));
        ChildEvent = null;
        ChildWaiter = null;
    }

    private void RaiseSigchld(UserProcess child, int waitStatus)
    {
        SignalInfo info = SignalInfo.ForChild(child, waitStatus, PidNs);
        UserThread? target = SignalTarget(Signal.SIGCHLD);
        if (target != null) SignalDelivery.Raise(target, in info);
    }

    /// <summary>The unreported stop or continue of a child matching <paramref name="pid"/>
    /// (wait4's pid rules) that <paramref name="stopped"/>/<paramref name="continued"/> ask
    /// for: its index in StateChildren, or -1.</summary>
    public int FindState(int pid, bool stopped, bool continued)
    {
        for (int i = 0; i < StateChildren.Count; i++)
        {
            UserProcess c = StateChildren[i];
            bool isStop = (StateStatuses[i] & 0xFF) == 0x7F;
            if ((isStop ? stopped : continued) && Syscalls.Wait4.Matches(c, pid, this)) return i;
        }
        return -1;
    }

    internal void ForgetState(UserProcess child)
    {
        for (int i = StateChildren.Count - 1; i >= 0; i--)
        {
            if (StateChildren[i] != child) continue;
            StateChildren.RemoveAt(i);
            StateStatuses.RemoveAt(i);
        }
    }

    /// <summary>The thread with <paramref name="tid"/>, or null.</summary>
    public UserThread? ThreadOf(int tid)
    {
        for (int i = 0; i < Threads.Count; i++)
            if (Threads[i].Tid == tid) return Threads[i];
        return null;
    }

    /// <summary>Where a process-directed signal goes: a thread that does not block it, else the first.</summary>
    public UserThread? SignalTarget(int signal)
    {
        ulong bit = 1UL << (signal - 1);
        for (int i = 0; i < Threads.Count; i++)
            if ((Threads[i].SignalMask & bit) == 0) return Threads[i];
        return Threads.Count > 0 ? Threads[0] : null;
    }

    /// <summary>Ends the process with <paramref name="waitStatus"/> (see Signals.WaitStatus):
    /// frees its memory and files, hands its children to init and reports to its parent.
    /// Runs in a handler of this process, after its last thread ended.</summary>
    private void Exit(int waitStatus)
    {
        if (Exited) return;
        Exited = true;
        if (!SeededBugs.ReportBeforeStatus) ExitWaitStatus = waitStatus;
        IntervalTimers.CancelAll();
        Memory.Clear();
        Pages.Destroy();
        // The OOM killer's pending victim has given its frames back: nothing waits on it now, and
        // the field must not keep the dead process (its root, files and all) alive.
        Interlocked.CompareExchange(ref Host.OutOfMemoryVictim, null, this);
        Files.CloseAll();
        LeaveMounts(_mounts);
        Process.Files.Cgroups.CgroupCall.Leave(this);
        // A session leader's exit frees its controlling terminal (Linux's disassociate_ctty).
        if (Pid == Session && ControllingTty != null)
            Host.Scheduler.Send(ControllingTty, new Files.Tty.TtySessionEndedMessage(Session));
        if (Pid == 1)
        {
            Host.InitExited(waitStatus);
            return;
        }
        if (IsNamespaceInit)
        {
            EndNamespace();
            return;
        }
        UserProcess? reaper = NewReaper();
        for (int i = 0; i < Children.Count; i++)
        {
            UserProcess child = Children[i];
            Reparent(child, reaper, false);
            int death = child.ParentDeathSignal;
            if (death != 0) Host.Scheduler.Send(child.MainThread, new SignalMessage(death, SignalInfo.SI_USER, child.PidNs.NumberOf(this), Uid, true));
        }
        for (int i = 0; i < Zombies.Count; i++) Reparent(Zombies[i], reaper, true);
        Children.Clear();
        Zombies.Clear();
        ReportExit();
        if (SeededBugs.ReportBeforeStatus)
        {
            // Seeded bug: the status is written after the report is out; the parent's CPU may reap here.
            InterleaveHook.Point();
            ExitWaitStatus = waitStatus;
        }
    }

    /// <summary>The exit report to the parent (a dead one forwards it).</summary>
    internal void ReportExit()
    {
        UserProcess? parent = Parent;
        if (parent != null) Host.Scheduler.Send(parent.MainThread, new ChildExitedMessage(this));
    }

    // The init of a PID namespace exited (zap_pid_namespace): the namespace takes no new process,
    // every other process in it or below is killed, and this exited init reaps its children as
    // their reports come (orphans of the namespace keep coming here). Its parent hears of it when
    // it is the namespace's last process: now, or at the last reap (PidNamespace.ReleaseProcess).
    private void EndNamespace()
    {
        bool alone = PidNs.InitHasExited();
        UserProcess[] all = Host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess p = all[i];
            if (p != this && !p.Exited && PidNs.Contains(p.PidNs))
                Host.Scheduler.Send(p.MainThread, new SignalMessage(Signal.SIGKILL, SignalInfo.SI_KERNEL, 0, 0, true));
        }
        var zombies = Zombies.ToArray();
        for (int i = 0; i < zombies.Length; i++) Reap(zombies[i]);
        if (alone) ReportExit();
    }

    private void LeaveMounts(MountTree mounts)
    {
        if (mounts.Leave()) Namespaces.MountNamespace.TakeDown(Host, mounts);
    }

    // Linux's find_new_reaper: the nearest living ancestor in the same PID namespace that is a
    // child subreaper, else the namespace's init (the kernel's init for the first namespace).
    private UserProcess? NewReaper()
    {
        UserProcess? init = PidNs.Level == 0 ? Host.Init : PidNs.Init ?? Host.Init;
        for (UserProcess? a = Parent; a != null && a != init && a.PidNs == PidNs; a = a.Parent)
            if (a.ChildSubreaper && !a.Exited) return a;
        return init;
    }

    // A child this process received the exit report of goes as a zombie; a live one (or one
    // whose report is still on its way here, to be forwarded) as a child.
    private void Reparent(UserProcess child, UserProcess? reaper, bool zombie)
    {
        if (reaper == null) return;
        child.Parent = reaper;
        Host.Scheduler.Send(reaper.MainThread, new AdoptMessage(child, zombie));
    }

    /// <summary>A child's exit report (in a handler of this process). A dead process passes it on to init.</summary>
    internal void OnChildExited(UserProcess child)
    {
        if (Exited && !IsNamespaceInit)
        {
            if (SeededBugs.DeadParentDropsReport) return; // Seeded bug: the report is dropped.
            UserProcess? reaper = NewReaper();
            if (reaper != null && reaper != this)
            {
                child.Parent = reaper;
                Host.Scheduler.Send(reaper.MainThread, new ChildExitedMessage(child));
            }
            return;
        }
        if (child.Reaped) return;
        Children.Remove(child);
        BecameZombie(child);
    }

    // The child's exit is known here: keep it as a zombie (or reap it at once when this process
    // ignores SIGCHLD), wake a wait4 on this process, and raise SIGCHLD.
    private void BecameZombie(UserProcess child)
    {
        ForgetState(child);
        SignalAction onChild = SignalActions.Get(Signal.SIGCHLD);
        if (onChild.Handler == SignalAction.SIG_IGN || (onChild.Flags & SignalAction.SA_NOCLDWAIT) != 0 || Exited)
        {
            // Linux reaps such children at once: no zombie, and wait4 then sees ECHILD (and the
            // exited init of a PID namespace reaps what is left in it).
            Zombies.Add(child);
            Reap(child);
        }
        else if (!Zombies.Contains(child))
        {
            Zombies.Add(child);
        }
        WakeChildWaiter(child.Pid);
        RaiseSigchld(child, child.ExitWaitStatus);
    }

    /// <summary>An orphan handed over by its dying parent (init or a child subreaper). A zombie there is a
    /// zombie here, with the wakeup and SIGCHLD a new zombie brings; a live child (or one whose
    /// report the dead parent will forward) waits for its report. A child reaped already, or
    /// known here already, is left alone: messages from the child and from the dead parent may
    /// arrive in either order.</summary>
    internal void OnAdopt(UserProcess child, bool zombie)
    {
        if (Exited && Pid != 1 && !IsNamespaceInit)
        {
            // A subreaper that exited while the orphan was on its way passes it on.
            if (!child.Reaped) Reparent(child, NewReaper(), zombie);
            return;
        }
        if ((Exited && Pid == 1) || child.Reaped || Zombies.Contains(child) || Children.Contains(child)) return;
        if (zombie) BecameZombie(child);
        else Children.Add(child);
    }

    /// <summary>Set when a wait reaped this process: it is gone for good.</summary>
    public bool Reaped;

    /// <summary>Removes a zombie for good (wait4 reaped it).</summary>
    internal void Reap(UserProcess zombie)
    {
        zombie.Reaped = true;
        Process.Files.Cgroups.CgroupCall.Reaped(zombie);
        Zombies.Remove(zombie);
        ChildrenUserNanoseconds += zombie.UserNanoseconds + zombie.ChildrenUserNanoseconds;
        ChildrenSystemNanoseconds += zombie.SystemNanoseconds + zombie.ChildrenSystemNanoseconds;
        Host.Table.Remove(zombie);
        Host.ProcessReaped();
        Host.ForgetProcFiles(zombie);
        if (zombie.PidNumbers != null) zombie.PidNs.ReleaseProcess(Host, zombie.Pid);
    }
}

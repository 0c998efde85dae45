// UserProcess: a Linux process — its pid, memory, open files, credentials,
// family and exit. Its one thread (MainThread, an actor) runs on the
// process's home CPU and touches this state only from its handlers, so it
// needs no lock; threads of one process spread over CPUs (clone) will make
// the process an actor of its own.
//
// State (owned by the home CPU): everything below, except Parent, which the
// old parent or init writes when reparenting and the process reads when it
// exits (a stale read only sends the exit report to a dead parent, which
// forwards it to init).
// Invariants: 1. Exited processes hold no pages (memory cleared, tables destroyed).
//             2. A child is in its parent's Children until its exit report
//                arrives, then in Zombies until reaped; never in both.
//             3. Every exit report reaches a live parent or init (dead parents forward).
using System.Collections.Generic;
using System.Threading;
using Kevlar.Process.Files;
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
    public readonly int Pid;
    public int ProcessGroup;
    public int Session;
    private UserProcess? _parent;

    public IPageTables Pages;
    public MemoryMap Memory;
    public UserMemory UserMemory;
    public FileDescriptorTable Files = new FileDescriptorTable();
    public UserThread MainThread = null!;

    /// <summary>Live children, and children that exited and wait to be reaped.</summary>
    public readonly List<UserProcess> Children = new List<UserProcess>();
    public readonly List<UserProcess> Zombies = new List<UserProcess>();
    /// <summary>Set (on this process's CPU) whenever a child's exit report arrives; wait4 awaits it.</summary>
    public KernelEvent<int>? ChildEvent;

    /// <summary>The heap: [BrkStart, Brk) is mapped as the "[heap]" region.</summary>
    public ulong BrkStart, Brk;
    /// <summary>The absolute path of the running program (/proc/self/exe).</summary>
    public string ExecutablePath = string.Empty;
    public InitramfsNode CwdNode;
    public uint Umask = 0x12; // 022

    public uint Uid, Euid, Suid, Gid, Egid, Sgid;
    public uint[] Groups = new uint[0];
    public readonly ResourceLimits Limits = new ResourceLimits();
    public readonly SignalActions SignalActions = new SignalActions();
    /// <summary>PR_SET_DUMPABLE; cleared for set-id programs.</summary>
    public bool Dumpable = true;

    /// <summary>CPU time of reaped children (times, RUSAGE_CHILDREN).</summary>
    public ulong ChildrenUserNanoseconds, ChildrenSystemNanoseconds;

    public bool Exited;
    public int ExitWaitStatus;

    /// <summary>A process with a new, empty address space (PID 1).</summary>
    public UserProcess(ProcessHost host, int pid, UserProcess? parent)
        : this(host, pid, parent, host.UserMode.CreateAddressSpace())
    {
    }

    public UserProcess(ProcessHost host, int pid, UserProcess? parent, IPageTables pages)
    {
        Host = host;
        Pid = pid;
        _parent = parent;
        ProcessGroup = pid;
        Session = pid;
        Pages = pages;
        Memory = new MemoryMap(Pages);
        UserMemory = new UserMemory(Memory);
        CwdNode = host.Files.Root;
        host.ProcessCreated();
        host.Table.Add(this);
    }

    public UserProcess? Parent
    {
        get => Volatile.Read(ref _parent);
        set => Volatile.Write(ref _parent, value);
    }

    public int ParentPid => Parent == null ? 0 : Parent.Pid;

    /// <summary>Ends the process with <paramref name="waitStatus"/> (see Signals.WaitStatus):
    /// frees its memory and files, hands its children to init and reports to its parent.
    /// Runs on this process's CPU.</summary>
    public void Exit(int waitStatus)
    {
        if (Exited) return;
        Exited = true;
        if (!SeededBugs.ReportBeforeStatus) ExitWaitStatus = waitStatus;
        Memory.Clear();
        Pages.Destroy();
        Files = new FileDescriptorTable();
        if (Pid == 1)
        {
            Host.InitExited(waitStatus);
            return;
        }
        UserProcess? init = Host.Init;
        for (int i = 0; i < Children.Count; i++) Reparent(Children[i], init);
        for (int i = 0; i < Zombies.Count; i++) Reparent(Zombies[i], init);
        Children.Clear();
        Zombies.Clear();
        UserProcess? parent = Parent;
        if (parent != null) Host.Scheduler.Send(parent.MainThread, new ChildExitedMessage(this));
        if (SeededBugs.ReportBeforeStatus)
        {
            // Seeded bug: the status is written after the report is out; the parent's CPU may reap here.
            InterleaveHook.Point();
            ExitWaitStatus = waitStatus;
        }
    }

    private void Reparent(UserProcess child, UserProcess? init)
    {
        if (init == null) return;
        child.Parent = init;
        Host.Scheduler.Send(init.MainThread, new AdoptMessage(child));
    }

    /// <summary>A child's exit report (on this process's CPU). A dead process passes it on to init.</summary>
    internal void OnChildExited(UserProcess child)
    {
        if (Exited)
        {
            if (SeededBugs.DeadParentDropsReport) return; // Seeded bug: the report is dropped.
            UserProcess? init = Host.Init;
            if (init != null && init != this)
            {
                child.Parent = init;
                Host.Scheduler.Send(init.MainThread, new ChildExitedMessage(child));
            }
            return;
        }
        Children.Remove(child);
        if (!Zombies.Contains(child)) Zombies.Add(child);
        if (ChildEvent != null && !ChildEvent.IsSet) ChildEvent.Set(child.Pid);
        int status = child.ExitWaitStatus;
        var info = new SignalInfo
        {
            Signal = Signal.SIGCHLD,
            Code = (status & 0x7F) == 0 ? SignalInfo.CLD_EXITED : SignalInfo.CLD_KILLED,
            Pid = child.Pid,
            Uid = child.Uid,
            Status = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : status & 0x7F,
            UserTime = child.MainThread.UserNanoseconds / 10_000_000,
            SystemTime = child.MainThread.SystemNanoseconds / 10_000_000,
        };
        SignalDelivery.Raise(MainThread, in info);
    }

    /// <summary>An orphan handed over by its dying parent (init only).</summary>
    internal void OnAdopt(UserProcess child)
    {
        if (Exited || Zombies.Contains(child) || Children.Contains(child)) return;
        if (child.Exited && child.ExitReported) Zombies.Add(child);
        else Children.Add(child);
    }

    /// <summary>Set once the exit report is on its way (the zombie's status is final).</summary>
    public bool ExitReported => Exited;

    /// <summary>Removes a zombie for good (wait4 reaped it).</summary>
    internal void Reap(UserProcess zombie)
    {
        Zombies.Remove(zombie);
        ChildrenUserNanoseconds += zombie.MainThread.UserNanoseconds + zombie.ChildrenUserNanoseconds;
        ChildrenSystemNanoseconds += zombie.MainThread.SystemNanoseconds + zombie.ChildrenSystemNanoseconds;
        Host.Table.Remove(zombie);
        Host.ProcessReaped();
    }
}

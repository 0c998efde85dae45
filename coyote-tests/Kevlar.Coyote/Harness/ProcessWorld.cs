// ProcessWorld: a World running the real process subsystem — a ProcessHost
// over the simulated CPUs' Scheduler, with scripted user programs in place of
// user code (ScriptedUserMode) and fake page tables. Scenarios place each
// process on a chosen CPU with its parent and program; everything after the
// first Run message is the kernel's own code: syscall dispatch, wait4
// blocking and resuming, kill as a SignalMessage, exit reports, reparenting.
//
// Checked: the ledger's per-reap properties as they happen; NoLostWakeup after
// every step (liveness); and at quiescence the end state — every exited
// process reaped exactly once, its pages freed, each live process's Children
// live and Zombies exited, the table and ProcessCount holding exactly the
// live processes.
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Coyote.Specs;
using Kevlar.Process;
using Kevlar.Process.Memory;
using Kevlar.Runtime.UserMode;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Harness;

public sealed class ProcessWorld
{
    private readonly IActorRuntime _runtime;
    private readonly SortedDictionary<int, UserProcess> _all = new();
    private readonly List<UserThread> _toStart = new();
    private readonly List<UserProcess> _mustDie = new();
    private readonly List<UserProcess> _mustLive = new();
    private readonly List<Action> _extraChecks = new();
    private readonly Dictionary<int, long> _signatures = new();
    private bool _sentHot;

    public ProcessWorld(IActorRuntime runtime, int cpus)
    {
        _runtime = runtime;
        World = new World(runtime, cpus);
        runtime.RegisterMonitor<NoLostWakeup>();
        UserMode = new ScriptedUserMode { FindProcess = FindByPages };
        Devices = new HostDevices();
        // No files: an empty initramfs (the root is an empty tmpfs beside /dev and /tmp).
        Host = new ProcessHost(World.Scheduler, UserMode, Devices, new Kevlar.Runtime.Devices.ConsoleInputRing(), Devices, Devices, Devices, Devices,
            Array.Empty<byte>());
        Ledger = new ProcessLedger();
        World.Observer = Observe;
        World.HotMonitor = () => _sentHot ? nameof(NoLostWakeup) : null;
        World.CoolMonitors = () =>
        {
            _sentHot = false;
            _runtime.Monitor<NoLostWakeup>(new NoLostWakeup.Observed(false));
        };
        World.QuiescentCheck = _ => CheckQuiescent();
    }

    public World World { get; }

    public ProcessHost Host { get; }

    public ScriptedUserMode UserMode { get; }

    public HostDevices Devices { get; }

    public ProcessLedger Ledger { get; }

    /// <summary>Creates a process running <paramref name="program"/> on <paramref name="cpu"/>, as
    /// fork leaves it (in its parent's Children, in the table); PID 1 becomes init. It runs
    /// once <see cref="Run"/> starts the CPUs.</summary>
    public UserProcess Spawn(UserProcess? parent, int cpu, UserProgram program)
    {
        UserScript script = UserMode.Attach(program);
        var p = new UserProcess(Host, Host.AllocatePid(), parent, script.Space);
        script.Process = p;
        p.Memory.Add(new MemoryRegion(UserScript.DataPage, UserScript.DataPage + MemoryMap.PageSize,
            PageProtection.Read | PageProtection.Write, RegionKind.Anonymous, null));
        var thread = new UserThread(p, p.Pid);
        p.MainThread = thread;
        p.AddThread(thread);
        if (parent != null)
        {
            parent.Children.Add(p);
        }
        else if (p.Pid == 1)
        {
            Host.Init = p;
        }
        Host.Scheduler.Register(thread, cpu);
        p.EnterTable(thread);
        _all[p.Pid] = p;
        _toStart.Add(thread);
        return p;
    }

    /// <summary>At quiescence, <paramref name="p"/> must have exited (and been reaped).</summary>
    public void MustDie(params UserProcess[] p) => _mustDie.AddRange(p);

    /// <summary>At quiescence, <paramref name="p"/> must still run.</summary>
    public void MustLive(params UserProcess[] p) => _mustLive.AddRange(p);

    /// <summary>A scenario's own end-state check, run at quiescence after the process checks.</summary>
    public void AtQuiescence(Action check) => _extraChecks.Add(check);

    /// <summary>Starts the CPUs and every spawned thread; the driver's last act.</summary>
    public void Run()
    {
        World.StartCpus();
        foreach (UserThread t in _toStart)
        {
            t.Start();
        }
        World.DriverDone();
    }

    private UserProcess? FindByPages(IPageTables space)
    {
        foreach (UserProcess p in Host.Table.Snapshot)
        {
            if (ReferenceEquals(p.Pages, space))
            {
                return p;
            }
        }
        return null;
    }

    private UserScript ScriptOf(UserProcess p) => UserMode.ScriptOf(p.Pages)!;

    // Learns forked processes from the table (a process is in it from fork until reaped)
    // and from their scripts (a fork child can run, exit and be reaped within one step), logs
    // every change of a process's state into Coyote's trace, and feeds the liveness monitor.
    // Runs after every CPU step: a process's line is built only when its state changed.
    private void Observe()
    {
        foreach (UserProcess p in Host.Table.Snapshot)
        {
            _all.TryAdd(p.Pid, p);
        }
        foreach (UserScript s in UserMode.Scripts)
        {
            if (s.Process != null)
            {
                _all.TryAdd(s.Process.Pid, s.Process);
            }
        }
        foreach (UserProcess p in _all.Values)
        {
            long sig = Signature(p);
            if (!_signatures.TryGetValue(p.Pid, out long before) || before != sig)
            {
                _signatures[p.Pid] = sig;
                _runtime.Logger.WriteLine("<ProcessLog> " + Describe(p));
            }
        }
        bool hot = WaiterBehindZombie() != null;
        if (hot != _sentHot)
        {
            _sentHot = hot;
            _runtime.Monitor<NoLostWakeup>(new NoLostWakeup.Observed(hot));
        }
    }

    // What Describe shows, as a number: life, status, parent, family and wait4.
    private long Signature(UserProcess p)
    {
        long life = Ledger.IsReaped(p.Pid) ? 2 : p.Exited ? 1 : 0;
        long family = 17;
        foreach (UserProcess c in p.Children)
        {
            family = family * 31 + c.Pid;
        }
        family = family * 37 + 1;
        foreach (UserProcess z in p.Zombies)
        {
            family = family * 31 + z.Pid;
        }
        long wait = !p.Exited && ScriptOf(p).InWait4 ? 1 : 0;
        long cpu = p.MainThread.Home;
        return ((((family * 1000003 + p.ParentPid) * 7 + life) * 65537 + p.ExitWaitStatus) * 3 + wait) * 8 + cpu;
    }

    // One line of a process's state: life, family, and what its program is doing.
    private string Describe(UserProcess p)
    {
        string life = Ledger.IsReaped(p.Pid) ? "reaped" : p.Exited ? "zombie(0x" + p.ExitWaitStatus.ToString("x") + ")" : "live";
        string family = " parent=" + p.ParentPid + " children=[" + string.Join(",", p.Children.Select(c => c.Pid))
            + "] zombies=[" + string.Join(",", p.Zombies.Select(c => c.Pid)) + "]";
        string doing = !p.Exited && ScriptOf(p).InWait4 ? " in wait4" : "";
        return "pid " + p.Pid + "@cpu" + p.MainThread.Home + ": " + life + family + doing;
    }

    // A live process asleep in wait4 while a child it must reap has exited: the child's own
    // parent if that is alive, else init (dead parents pass reports on to init).
    private UserProcess? WaiterBehindZombie()
    {
        foreach (UserProcess x in _all.Values)
        {
            if (!x.Exited || x.Pid == 1 || Ledger.IsReaped(x.Pid))
            {
                continue;
            }
            UserProcess? reaper = x.Parent;
            if (reaper != null && reaper.Exited)
            {
                reaper = Host.Init;
            }
            if (reaper != null && !reaper.Exited && ScriptOf(reaper).InWait4)
            {
                return reaper;
            }
        }
        return null;
    }

    private void CheckQuiescent()
    {
        Observe();
        foreach (UserProcess x in _all.Values)
        {
            if (x.Exited)
            {
                CheckExited(x);
            }
            else
            {
                CheckFamily(x);
            }
        }
        foreach (Action check in _extraChecks)
        {
            check();
        }
        foreach (UserProcess p in _mustDie)
        {
            Specification.Assert(p.Exited, "KillEnds: process {0} was killed but still runs", p.Pid);
        }
        foreach (UserProcess p in _mustLive)
        {
            Specification.Assert(!p.Exited, "Survives: process {0} died though nothing killed it", p.Pid);
        }
        UserProcess[] table = Host.Table.Snapshot;
        foreach (UserProcess p in table)
        {
            Specification.Assert(!Ledger.IsReaped(p.Pid), "ProcessCount: reaped process {0} is still in the table", p.Pid);
        }
        Specification.Assert(Host.ProcessCount == table.Length,
            "ProcessCount: {0} processes counted, {1} in the table (a reap was counted twice or missed)", Host.ProcessCount, table.Length);
        Specification.Assert(Ledger.Reaped + table.Length == _all.Count,
            "ProcessCount: {0} reaped and {1} in the table of {2} processes", Ledger.Reaped, table.Length, _all.Count);
    }

    // A live process (UserProcess invariant 2): its Children are live and its own, its Zombies exited.
    private void CheckFamily(UserProcess p)
    {
        foreach (UserProcess c in p.Children)
        {
            Specification.Assert(!c.Exited && c.Parent == p,
                "ChildInOneList: process {0} lists {1} as a live child, but it exited or has another parent", p.Pid, c.Pid);
        }
        foreach (UserProcess z in p.Zombies)
        {
            Specification.Assert(z.Exited && !p.Children.Contains(z),
                "ChildInOneList: process {0} lists {1} as a zombie, but it runs or is also a live child", p.Pid, z.Pid);
        }
    }

    // An exited process: pages freed; reaped, or else say why not.
    private void CheckExited(UserProcess x)
    {
        var pages = (FakePageTables)x.Pages;
        Specification.Assert(pages.Destroyed && pages.MappedPages == 0 && x.Memory.Count == 0,
            "ExitFreesPages: process {0} exited holding pages", x.Pid);
        if (x.Pid == 1 || Ledger.IsReaped(x.Pid))
        {
            return;
        }
        UserProcess? holder = null;
        foreach (UserProcess p in _all.Values)
        {
            if (!p.Exited && p.Zombies.Contains(x))
            {
                holder = p;
            }
        }
        Specification.Assert(holder != null,
            "NoLostExitReport: process {0} exited but no live process holds it as a zombie (its exit report was lost)", x.Pid);
        Specification.Assert(!ScriptOf(holder!).InWait4,
            "NoLostWakeup: process {0} sleeps in wait4 while its child {1} is a zombie", holder!.Pid, x.Pid);
        Specification.Assert(false, "ExitReaped: process {0} exited and was never reaped (zombie of {1})", x.Pid, holder.Pid);
    }
}

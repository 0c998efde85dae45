// ProcessHost: the process subsystem's view of the machine — the platform
// services it receives (user mode, console, clock, power) — and its global
// tables and owners: pids, the initramfs as the root file system, the
// console's tty. One per kernel.
//
// State: _nextPid by Interlocked; the file table is immutable once built.
using System.Threading;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Tty;
using Kevlar.Process.Files.Vfs;
using Kevlar.Vfs.Initramfs;
using Kevlar.Vfs.Operations;
using Kevlar.Process.Syscalls;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.UserMode;

namespace Kevlar.Process;

public sealed class ProcessHost
{
    private int _nextPid;
    private int _processCount;

    public ProcessHost(Scheduler scheduler, IUserMode userMode, IConsoleDevice console, IConsoleInput consoleInput,
        ISystemClock clock, ISystemControl control, IMemoryInfo memory, ITimerService timers, byte[] initramfs)
    {
        Memory = memory;
        Timers = timers;
        Scheduler = scheduler;
        Kevlar.Runtime.Diagnostics.SyscallRing.Initialize(scheduler.CpuCount);
        UserMode = userMode;
        Console = console;
        Clock = clock;
        Control = control;
        Namespace ns = BootFilesystems.Build(this, initramfs, clock, out CpioError error, out FilesystemTypes types);
        InitramfsError = error;
        Vfs = new VfsActor(ns, types);
        ns.Mounts.NamespaceInode = InitialMountNamespaceInode; // (no Atomic here: a Coyote world builds hosts inside its schedule)
        ns.Mounts.Lasting = true; // never taken down, whoever leaves it
        InitialCgroups = new Namespaces.CgroupNamespace(Namespaces.CgroupNamespace.InitialInode, types.Cgroups!.Tree.Root);
        scheduler.Register(Vfs, 0);
        ConsoleTty = new Terminal(this, console, consoleInput);
        scheduler.Register(ConsoleTty, 0);
        ConsoleTty.Begin();
        Load = new LoadAverage(this);
        scheduler.Register(Load, 0);
        Inet = new Files.Sockets.Inet.InetStack(clock);
        scheduler.Register(Inet, 0);
        Syscalls = new SyscallTable(this);
    }

    public Scheduler Scheduler { get; }
    public IUserMode UserMode { get; }
    /// <summary>The console device: bytes exactly as given (a tty's OPOST does output processing).</summary>
    public IConsoleDevice Console { get; }
    /// <summary>The serial console's tty (/dev/console, /dev/ttyS0), homed on CPU 0 where its input arrives.</summary>
    public Terminal ConsoleTty { get; }

    /// <summary>The load averages; sampling starts with StartLoadSampling (metal starts it at
    /// boot; host tests leave the timer queue alone).</summary>
    public LoadAverage Load { get; private set; } = null!;

    /// <summary>Registers the load-average sampler on CPU 0 and starts it.</summary>
    public void StartLoadSampling()
    {
        Load.Begin();
    }

    /// <summary>The kernel's message log (syslog(2), dmesg); metal sets the console's ring.</summary>
    /// <summary>The process the OOM killer killed and is waiting for (OutOfMemory.cs); cleared by its
    /// exit once its memory is freed. Read and written from any CPU.</summary>
    public UserProcess? OutOfMemoryVictim;

    public IKernelLog KernelLog { get; set; } = new EmptyKernelLog();

    /// <summary>The kernel heap's collection figures (/proc/kevlar/gc); metal sets them, null on the host.</summary>
    public ICollectorStatistics? Collector { get; set; }

    /// <summary>The live pseudo-terminals, by number.</summary>
    public readonly PtyTable Ptys = new PtyTable();
    public ISystemClock Clock { get; }
    /// <summary>The vDSO every exec maps, when the platform has one (set at start-up).</summary>
    public Exec.Vdso? Vdso { get; set; }
    public ISystemControl Control { get; }
    public IMemoryInfo Memory { get; }
    public ITimerService Timers { get; }
    /// <summary>The owner of the mount tree: the tmpfs root unpacked from the initramfs, /dev.</summary>
    public VfsActor Vfs { get; }

    /// <summary>Recent executables' loaded images, shared by exec (owned by the VfsActor).</summary>
    public Exec.ExecImageCache ExecImages { get; } = new Exec.ExecImageCache();
    /// <summary>Whether the initramfs was damaged (the entries before the damage were kept).</summary>
    public CpioError InitramfsError { get; }
    public SyscallTable Syscalls { get; }
    /// <summary>The IPv4 stack: its interfaces (lo), its port tables, ICMP.</summary>
    public Files.Sockets.Inet.InetStack Inet { get; }

    /// <summary>Every process by pid.</summary>
    public readonly ProcessTable Table = new ProcessTable();

    /// <summary>PID 1, which adopts orphans; null before it starts.</summary>
    public UserProcess? Init;

    private int _nextCpu;

    /// <summary>The home CPU for a new process: round robin over the CPUs, so forks spread out.</summary>
    public int PickCpu() => (int)((uint)Interlocked.Increment(ref _nextCpu) % (uint)Scheduler.CpuCount);

    /// <summary>The next CPU round robin among those <paramref name="allowed"/> names (an
    /// affinity mask: bit n for CPU n); the first allowed one if the turn finds none.</summary>
    public int PickCpu(long allowed)
    {
        int cpus = Scheduler.CpuCount;
        for (int i = 0; i < cpus; i++)
        {
            int c = PickCpu();
            if (c < UserThread.MaxAffinityCpus && ((allowed >> c) & 1) != 0) return c;
        }
        for (int c = 0; c < cpus && c < UserThread.MaxAffinityCpus; c++) if (((allowed >> c) & 1) != 0) return c;
        return 0;
    }

    /// <summary>reboot(2)'s LINUX_REBOOT_CMD_CAD_ON/OFF: whether Ctrl-Alt-Del reboots at once.</summary>
    public bool CtrlAltDelReboots = true;

    /// <summary>Print one line per syscall (kevlar.trace=syscalls).</summary>
    public bool TraceSyscalls;

    public int AllocatePid() => Interlocked.Increment(ref _nextPid);

    /// <summary>A system call number that fails a kernel assertion when called (kevlar.fault=syscall:N,
    /// for the tests of the panic report's syscall ring); negative: none (a user's syscall -1 must
    /// not match it).</summary>
    public long PanicOnSyscall = -1;

    /// <summary>The UTS namespace the first process starts in (host name "kevlar").</summary>
    public readonly Namespaces.UtsNamespace InitialUts = new Namespaces.UtsNamespace(Namespaces.UtsNamespace.InitialInode,
        Kevlar.Runtime.Text.Latin1.Encode(Kevlar.Process.Syscalls.Uname.NodeName) ?? new byte[0], Kevlar.Runtime.Text.Latin1.Encode(Kevlar.Process.Syscalls.Uname.DomainName) ?? new byte[0]);

    /// <summary>The PID namespace the first process starts in, whose numbers are the kernel's.</summary>
    public readonly Namespaces.PidNamespace InitialPids = new Namespaces.PidNamespace(Namespaces.PidNamespace.InitialInode);

    /// <summary>The cgroup namespace the first process starts in (rooted at the hierarchy's root).</summary>
    public Namespaces.CgroupNamespace InitialCgroups { get; }

    /// <summary>The cgroup <paramref name="p"/> is in now: its leader thread's (the root when it
    /// never moved). Read without a message: a move at this moment may be seen either side.</summary>
    public Kevlar.Cgroups.Cgroup CgroupOf(UserProcess p) => CgroupOf(p, p.Pid);

    /// <summary>The cgroup thread <paramref name="t"/> is in now (thread mode may place it apart
    /// from its process); read as CgroupOf(UserProcess) is.</summary>
    public Kevlar.Cgroups.Cgroup CgroupOf(UserThread t) => CgroupOf(t.Process, t.Tid);

    private Kevlar.Cgroups.Cgroup CgroupOf(UserProcess p, int tid)
    {
        Kevlar.Cgroups.CgroupMember? m = System.Threading.Volatile.Read(ref p.CgroupMember);
        if (m == null) return InitialCgroups.Root;
        return m.PlacementOf(tid)?.Group ?? m.Group ?? InitialCgroups.Root;
    }

    // nsfs inode numbers: Linux's proc_alloc_inum hands them out from 0xF0000000; the first is the
    // initial mount namespace's, the second the one network namespace's (InitialNamespace.Net), the
    // rest go to new namespaces.
    private const ulong InitialMountNamespaceInode = 0xF0000000;
    private long _nextNamespaceInode = (long)InitialMountNamespaceInode + 1;

    /// <summary>An inode number for a new namespace, unique for the machine's life.</summary>
    public ulong AllocateNamespaceInode() => (ulong)(Kevlar.Runtime.Threading.Atomic.FetchAdd(ref _nextNamespaceInode, 1) + 1);

    /// <summary>Processes that exist (not yet reaped).</summary>
    public int ProcessCount => Volatile.Read(ref _processCount);

    /// <summary>Processes and threads created since boot (the last pid handed out).</summary>
    public int ProcessesCreated => Volatile.Read(ref _nextPid);

    internal void ProcessCreated() => Interlocked.Increment(ref _processCount);

    internal void ProcessReaped() => Interlocked.Decrement(ref _processCount);

    /// <summary>Drops a reaped process's /proc/<pid> trees: in the first procfs and in that of each
    /// PID namespace it has a number in (a message to the VfsActor, or inline on its CPU).</summary>
    internal void ForgetProcFiles(UserProcess p)
    {
        Files.Procfs.ProcFs? procfs = Vfs.Types.ProcFiles;
        int pid = p.Pid;
        if (procfs != null) Vfs.Post(() => { procfs.Forget(pid); return 0; });
        int[]? numbers = p.PidNumbers;
        if (numbers == null) return;
        for (Namespaces.PidNamespace? n = p.PidNs; n != null && n.Level > 0; n = n.Parent)
        {
            Files.Procfs.ProcFs? nested = n.Proc;
            int number = numbers[n.Level];
            if (nested != null) Vfs.Post(() => { nested.Forget(number); return 0; });
        }
    }

    /// <summary>Called when PID 1 has exited: the machine's run is over.</summary>
    internal void InitExited(int waitStatus)
    {
        Control.PowerOff(Signals.WaitStatus.ShellStatus(waitStatus));
    }
}

// ProcessHarness: a ProcessHost over the real Scheduler driven by the
// deterministic platform (linked from tests/Kevlar.Runtime.Tests), with the
// host twins of every platform service and SampleInitramfs as the root file
// system (unpacked into the tmpfs root, with /dev, owned by the VfsActor on
// CPU 0). PID 1 (Init) exists from the start, so processes the tests make are
// ordinary children of init, as on a running system. Threads are registered
// but never started: FakeUserMode fails a test that lets one run. Kernel
// assertions throw KernelAssertion.
//
// Async syscalls (those touching files) go through Call: the handler runs on
// the thread's home CPU — inline with the VfsActor on CPU 0, a message round
// trip from any other CPU — and the scheduler runs until the task completes.
using System.Text;
using Kevlar.Process.Files;
using Kevlar.Process.Memory;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Platforms;
using Kevlar.Runtime.UserMode;
using Kevlar.Vfs;
using Kevlar.Vfs.Mounts;
using Kevlar.Vfs.Paths;
using Xunit;

namespace Kevlar.Process.Tests.Support;

public sealed class KernelAssertion : Exception
{
    public KernelAssertion(string what) : base(what)
    {
    }
}

public sealed class ProcessHarness
{
    /// <summary>Each NewProcess has [Scratch, Scratch + ScratchSize) mapped read-write (pages on first touch).</summary>
    public const ulong Scratch = 0x1000_0000, ScratchSize = 0x10000;
    public const PageProtection UserRW = PageProtection.Read | PageProtection.Write;

    /// <summary>A host over <paramref name="cpus"/> CPUs, stepped round robin or, given a
    /// <paramref name="seed"/>, in a seeded random order; <paramref name="extras"/> join the
    /// sample initramfs (or <paramref name="archive"/> replaces it). Without
    /// <paramref name="createInit"/> there is no process yet (for starting PID 1 the way the
    /// kernel does) and Init is null.</summary>
    public ProcessHarness(int cpus = 2, int? seed = null, IEnumerable<SampleInitramfs.Extra>? extras = null, bool createInit = true,
        byte[]? archive = null)
    {
        Kassert.FailureHandler = static what => throw new KernelAssertion(what);
        Platform = new DeterministicPlatform(cpus);
        Scheduler = new Scheduler(Platform);
        Driver = new DeterministicDriver(Scheduler, Platform, seed);
        UserMode = new FakeUserMode(Pool);
        Host = new ProcessHost(Scheduler, UserMode, Console, new Kevlar.Runtime.Devices.ConsoleInputRing(), Clock, Control, MemoryInfo, Timers,
            archive ?? SampleInitramfs.Load(extras));
        if (!createInit)
        {
            Init = null!;
            return;
        }
        Init = NewProcess(null);
        Assert.Equal(1, Init.Pid);
        Host.Init = Init;
    }

    public DeterministicPlatform Platform { get; }
    public Scheduler Scheduler { get; }
    public DeterministicDriver Driver { get; }
    public FramePool Pool { get; } = new();
    public FakeUserMode UserMode { get; }
    public FakeConsole Console { get; } = new();
    public FakeClock Clock { get; } = new();
    public FakeSystemControl Control { get; } = new();
    public FakeMemoryInfo MemoryInfo { get; } = new();
    public FakeTimers Timers { get; } = new();
    public ProcessHost Host { get; }
    public UserProcess Init { get; }

    /// <summary>A process with its main thread registered on <paramref name="cpu"/> (not started), the
    /// console on fds 0–2, the scratch region, and all ids set to <paramref name="uid"/>. A child of
    /// init unless <paramref name="parent"/> says otherwise; null makes an orphan.</summary>
    public UserProcess NewProcess(UserProcess? parent, int cpu = 0, uint uid = 0)
    {
        var p = new UserProcess(Host, Host.AllocatePid(), parent);
        var t = new UserThread(p, p.Pid);
        p.MainThread = t;
        p.AddThread(t);
        Scheduler.Register(t, cpu);
        p.EnterTable(t);
        parent?.Children.Add(p);
        p.Uid = p.Euid = p.Suid = uid;
        p.Gid = p.Egid = p.Sgid = uid;
        var console = new ConsoleFile(Host.ConsoleTty);
        for (int fd = 0; fd < 3; fd++) p.Files.Install(fd, console, false);
        p.Memory.Add(new MemoryRegion(Scratch, Scratch + ScratchSize, UserRW, RegionKind.Anonymous, null));
        return p;
    }

    /// <summary>A child of init.</summary>
    public UserProcess NewProcess(int cpu = 0, uint uid = 0) => NewProcess(Init, cpu, uid);

    public static FakePageTables PagesOf(UserProcess p) => (FakePageTables)p.Pages;

    /// <summary>Delivers messages until every CPU is idle.</summary>
    public void Run() => Driver.RunUntilQuiescent(100_000);

    /// <summary>Runs <paramref name="f"/> as if on <paramref name="cpu"/> (inside a handler there), which
    /// is where a syscall of a thread homed on that CPU runs.</summary>
    public T OnCpu<T>(int cpu, Func<T> f)
    {
        Platform.Current = cpu;
        try
        {
            return f();
        }
        finally
        {
            Platform.Current = -1;
        }
    }

    /// <summary>Starts <paramref name="syscall"/> on <paramref name="t"/>'s home CPU, as the thread's
    /// syscall would run; when the task has not completed there, delivers messages until it has.
    /// Returns the syscall's result.</summary>
    public long Call(UserThread t, Func<KernelTask<long>> syscall)
    {
        KernelTask<long> task = Start(t, syscall);
        if (!task.IsCompleted) Run();
        Assert.True(task.IsCompleted, "the syscall did not complete once the scheduler was quiescent");
        return task.Result;
    }

    /// <summary>Call on <paramref name="p"/>'s main thread.</summary>
    public long Call(UserProcess p, Func<UserThread, KernelTask<long>> syscall) => Call(p.MainThread, () => syscall(p.MainThread));

    /// <summary>Starts <paramref name="syscall"/> on <paramref name="t"/>'s home CPU without running
    /// the scheduler (for a syscall that is to block).</summary>
    public KernelTask<long> Start(UserThread t, Func<KernelTask<long>> syscall) => OnCpu(t.Home, syscall);

    /// <summary>Where <paramref name="path"/> leads from the root (as root, symlinks followed); the
    /// lookup must succeed.</summary>
    public Location Lookup(string path)
    {
        var ns = Host.Vfs.Namespace;
        var ctx = new PathContext(Credentials.Root, ns.Mounts.Root, ns.Mounts.Root);
        Assert.Equal(0, ns.Lookup(ctx, path, true, out Location at));
        return at;
    }

    /// <summary>Adds a region (pages appear on first touch).</summary>
    public static void Map(UserProcess p, ulong start, ulong length, PageProtection protection)
        => p.Memory.Add(new MemoryRegion(start, start + length, protection, RegionKind.Anonymous, null));

    /// <summary>Writes <paramref name="s"/> and a NUL at <paramref name="at"/>; returns <paramref name="at"/>.</summary>
    public static ulong PutString(UserProcess p, ulong at, string s)
    {
        byte[] b = Encoding.Latin1.GetBytes(s + "\0");
        Assert.Equal(0, p.UserMemory.Write(at, b));
        return at;
    }

    public static void Put(UserProcess p, ulong at, byte[] bytes) => Assert.Equal(0, p.UserMemory.Write(at, bytes));

    public static void PutUInt64(UserProcess p, ulong at, params ulong[] values)
    {
        for (int i = 0; i < values.Length; i++) Assert.Equal(0, p.UserMemory.WriteUInt64(at + (ulong)i * 8, values[i]));
    }

    public static byte[] Get(UserProcess p, ulong at, int length)
    {
        var b = new byte[length];
        Assert.Equal(0, p.UserMemory.Read(at, b));
        return b;
    }

    public static ulong GetUInt64(UserProcess p, ulong at)
    {
        Assert.Equal(0, p.UserMemory.ReadUInt64(at, out ulong v));
        return v;
    }

    public static int GetInt32(UserProcess p, ulong at) => BitConverter.ToInt32(Get(p, at, 4));

    public static string GetString(UserProcess p, ulong at, int length) => Encoding.Latin1.GetString(Get(p, at, length));
}

// The cgroup protocol as the kernel runs it: the tree lives on the VfsActor
// (CPU 0); forks, exits and writes to cgroup.procs reach it from processes on
// other CPUs as messages (FileOwner.Run round trips, exit posts), and a
// cgroup.events poller waits holding no CPU. Each scenario builds its cgroups
// and places its processes in them before the CPUs start (set-up, not
// explored), and gives each process the control-file descriptions it uses.
//
// TestCgroupExitMigration: X(2)@1 in a exits; M(3)@2 writes X's pid to
// b/cgroup.procs. Check at quiescence: no cgroup lists a process that left,
// and the counts add up (CgroupTree.Check: MemberSetLive, PidsCounted).
//
// TestCgroupMigrationReader: F(2)@1 in p/a forks a child that exits; M(3)@2
// moves F to p/b; R(4)@3 reads p/pids.current while F lives (F waits for it).
// Check: R never reads 0 (MigrationAtomic), and the tree's invariants at quiescence.
//
// TestCgroupForkLimit: A(2)@1 and B(3)@2 in g with pids.max 3 (2 used) fork
// at once; each child waits until both forks returned. Check: at most one
// fork succeeded (PidsMaxHolds), pids.events counts the other.
//
// TestCgroupEventsPoll: P(2)@1 polls e/cgroup.events for POLLPRI with no
// timeout; X(3)@2 moves itself into e and exits. Check at quiescence: the
// poller returned POLLPRI (EventsWake).
//
// TestCgroupFreezeFork: F(2)@1 in z forks a child, then both count user
// steps until thawed; W(3)@2 writes 1 to z/cgroup.freeze, reads and polls
// z/cgroup.events (POLLPRI) until it says frozen 1, checks that nothing in z
// takes a user step while frozen, then thaws z. F's fork (a round trip to the
// tree) races the freeze: the tree asks F to stop while F asks the tree.
// Check at quiescence: the freeze completed and the fork returned
// (FreezeCompletes), no user step while frozen (FreezeStops), the counts add
// up (FreezeCounted).
//
// TestCgroupThreadMove: thread mode. X(2)@1 in d (d's child t is threaded)
// starts thread T, which makes a thread of its own and ends; X's main thread
// ends too. M(3)@2 writes T's tid to t/cgroup.threads as soon as it is known,
// racing T's end, its new thread's charge and X's exit and reap. Check at
// quiescence: the counts add up with placed threads (PidsCounted, Population)
// and nothing is left charged or populated in d or t (ThreadsUncharged).
using Kevlar.Cgroups;
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks.Processes;
using Kevlar.Process;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Cgroups;
using Kevlar.Process.Signals;
using Kevlar.Process.Syscalls;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class CgroupsScenario
{
    public const int Cpus = 4;
    private const ulong Text = UserScript.DataPage + 64, PollFd = UserScript.DataPage + 128;

    public static void RunExitMigration(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        CgroupFs fs = w.Host.Vfs.Types.Cgroups!;
        Cgroup a = Make(fs, fs.Tree.Root, "a"), b = Make(fs, fs.Tree.Root, "b");
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var x = w.Spawn(init, 1, Programs.Exiter(0, yields: 1));
        Place(fs, x, a);
        var mover = w.Spawn(init, 2, s => WritePidSteps(s, x.Pid));
        mover.Files.Install(0, Control(w, fs, b, "cgroup.procs"), false);
        w.Ledger.ExpectStatus(x.Pid, WaitStatus.Exited(0));
        w.MustLive(init);
        w.AtQuiescence(() => CheckTree(fs));
        w.Run();
    }

    public static void RunMigrationReader(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        CgroupFs fs = w.Host.Vfs.Types.Cgroups!;
        fs.Tree.Root.SubtreePids = true;
        Cgroup p = Make(fs, fs.Tree.Root, "p");
        p.SubtreePids = true;
        Cgroup a = Make(fs, p, "a"), b = Make(fs, p, "b");
        var outcome = new Outcome();
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var forker = w.Spawn(init, 1, s => ForkAndWaitSteps(s, outcome));
        Place(fs, forker, a);
        var mover = w.Spawn(init, 2, s => WritePidSteps(s, forker.Pid));
        mover.Files.Install(0, Control(w, fs, b, "cgroup.procs"), false);
        var reader = w.Spawn(init, 3, s => ReaderSteps(s, outcome));
        reader.Files.Install(0, Control(w, fs, p, "pids.current"), false);
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            Specification.Assert(outcome.Read != "0\n",
                "MigrationAtomic: migration done as two steps, observable by a pids.current reader (read {0})", outcome.Read ?? "nothing");
            CheckTree(fs);
        });
        w.Run();
    }

    public static void RunForkLimit(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        CgroupFs fs = w.Host.Vfs.Types.Cgroups!;
        fs.Tree.Root.SubtreePids = true;
        Cgroup g = Make(fs, fs.Tree.Root, "g");
        g.PidsMax = 3;
        var outcome = new Outcome();
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var first = w.Spawn(init, 1, s => RacingForkSteps(s, outcome));
        var second = w.Spawn(init, 2, s => RacingForkSteps(s, outcome));
        Place(fs, first, g);
        Place(fs, second, g);
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            Specification.Assert(outcome.Forked == 2, "ForksEnd: {0} of the 2 forks returned", outcome.Forked);
            Specification.Assert(outcome.Made <= 1,
                "PidsMaxHolds: pids.max checked and charged in separate steps, so concurrent forks exceed it ({0} forks made with one free slot)", outcome.Made);
            Specification.Assert(outcome.Made + g.PidsEventsMax == 2, "PidsEvents: {0} forks made and {1} refusals counted", outcome.Made, g.PidsEventsMax);
            CheckTree(fs);
        });
        w.Run();
    }

    public static void RunEventsPoll(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        CgroupFs fs = w.Host.Vfs.Types.Cgroups!;
        Cgroup e = Make(fs, fs.Tree.Root, "e");
        var outcome = new Outcome();
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var poller = w.Spawn(init, 1, s => PollerSteps(s, outcome));
        poller.Files.Install(0, Control(w, fs, e, "cgroup.events"), false);
        var mover = w.Spawn(init, 2, s => WritePidSteps(s, 0));
        mover.Files.Install(0, Control(w, fs, e, "cgroup.procs"), false);
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            Specification.Assert(outcome.Revents >= 0,
                "EventsWake: a cgroup.events change that does not wake its poll waiter");
            Specification.Assert((outcome.Revents & PollEvents.POLLPRI) != 0, "EventsWake: poll returned revents {0} without POLLPRI", outcome.Revents);
            CheckTree(fs);
        });
        w.Run();
    }

    public static void RunFreezeFork(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        CgroupFs fs = w.Host.Vfs.Types.Cgroups!;
        Cgroup z = Make(fs, fs.Tree.Root, "z");
        var outcome = new Outcome();
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var forker = w.Spawn(init, 1, s => ForkUntilThawedSteps(s, outcome));
        Place(fs, forker, z);
        var freezer = w.Spawn(init, 2, s => FreezeSteps(s, outcome));
        freezer.Files.Install(0, Control(w, fs, z, "cgroup.freeze"), false);
        freezer.Files.Install(1, Control(w, fs, z, "cgroup.events"), false);
        w.Ledger.ExpectStatus(forker.Pid, WaitStatus.Exited(0));
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            Specification.Assert(outcome.SawFrozen && outcome.Forked == 1,
                "FreezeCompletes: a cgroup enumerating its children by asking them while they ask it: a request/reply cycle that never completes (frozen seen {0}, fork returned {1})",
                outcome.SawFrozen, outcome.Forked);
            Specification.Assert(outcome.StepsWhileFrozen == 0, "FreezeStops: {0} user steps in z while it said frozen 1", outcome.StepsWhileFrozen);
            CheckTree(fs);
        });
        w.Run();
    }

    // fork(child: count steps until thawed; exit(0)); the same; exit(0).
    private static IEnumerable<UserOp> ForkUntilThawedSteps(UserScript s, Outcome outcome)
    {
        yield return UserOp.Fork(_ => StepUntilThawedSteps(outcome));
        outcome.Forked++;
        foreach (UserOp op in StepUntilThawedSteps(outcome))
        {
            yield return op;
        }
    }

    private static IEnumerable<UserOp> StepUntilThawedSteps(Outcome outcome)
    {
        while (!outcome.Thawed)
        {
            outcome.Steps++;
            yield return UserOp.Spin;
        }
        yield return UserOp.ExitGroup(0);
    }

    // write(0, "1", 1); until cgroup.events (fd 1) says frozen 1: lseek(1, 0), read, poll for
    // POLLPRI; three yields counting z's user steps; write(0, "0", 1); exit(0).
    private static IEnumerable<UserOp> FreezeSteps(UserScript s, Outcome outcome)
    {
        s.Process!.UserMemory.Write(Text, new[] { (byte)'1', (byte)'0' });
        yield return UserOp.Write(0, Text, 1);
        var fd = new byte[8];
        fd[0] = 1;
        fd[4] = (byte)PollEvents.POLLPRI;
        s.Process.UserMemory.Write(PollFd, fd);
        while (true)
        {
            yield return UserOp.Syscall(SyscallNumber.lseek, 1, 0, 0);
            yield return UserOp.Read(1, Text + 8, 32);
            var text = new byte[Math.Max(0, (int)s.Result)];
            s.Process.UserMemory.Read(Text + 8, text);
            if (System.Text.Encoding.ASCII.GetString(text).Contains("frozen 1"))
            {
                break;
            }
            yield return UserOp.Poll(PollFd, 1, -1);
        }
        outcome.SawFrozen = true;
        int before = outcome.Steps;
        for (int i = 0; i < 3; i++)
        {
            yield return UserOp.Yield;
        }
        outcome.StepsWhileFrozen = outcome.Steps - before;
        outcome.Thawed = true;
        yield return UserOp.Write(0, Text + 1, 1);
        yield return UserOp.ExitGroup(0);
    }

    public static void RunThreadMove(IActorRuntime runtime)
    {
        var w = new ProcessWorld(runtime, Cpus);
        CgroupFs fs = w.Host.Vfs.Types.Cgroups!;
        Cgroup d = Make(fs, fs.Tree.Root, "d"), t = Make(fs, d, "t");
        t.Threaded = true;
        var outcome = new Outcome();
        var init = w.Spawn(null, 0, Programs.Reaper(w.Ledger));
        var x = w.Spawn(init, 1, s => StartThreadSteps(s, outcome));
        Place(fs, x, d);
        var mover = w.Spawn(init, 2, s => MoveThreadSteps(s, outcome));
        mover.Files.Install(0, Control(w, fs, t, "cgroup.threads"), false);
        w.Ledger.ExpectStatus(x.Pid, WaitStatus.Exited(0));
        w.MustLive(init);
        w.AtQuiescence(() =>
        {
            CheckTree(fs);
            Specification.Assert(d.PidsCurrent == 0 && t.PidsCurrent == 0 && !d.Populated && !t.Populated && t.Placed.Count == 0,
                "ThreadsUncharged: a moved thread's task left behind (d {0}, t {1}, {2} placed)", d.PidsCurrent, t.PidsCurrent, t.Placed.Count);
        });
        w.Run();
    }

    // clone(T: clone(exit(0)); exit(0)), telling M T's tid; exit(0) (the main thread).
    private static IEnumerable<UserOp> StartThreadSteps(UserScript s, Outcome outcome)
    {
        yield return UserOp.CloneThread(Programs.StartThreads(_ => ExitThreadSteps()), 2); // (its own thread gets tls 1)
        outcome.Tid = (int)s.Result;
        yield return UserOp.ExitThread(0);
    }

    private static IEnumerable<UserOp> ExitThreadSteps()
    {
        yield return UserOp.ExitThread(0);
    }

    // Waits for the tid; write(0, "<tid>\n", n) to t/cgroup.threads; exit(0).
    private static IEnumerable<UserOp> MoveThreadSteps(UserScript s, Outcome outcome)
    {
        while (outcome.Tid == 0)
        {
            yield return UserOp.Spin;
        }
        foreach (UserOp op in WritePidSteps(s, outcome.Tid))
        {
            yield return op;
        }
    }

    /// <summary>What the programs saw, for the end-state checks.</summary>
    private sealed class Outcome
    {
        public int Tid;
        public string? Read;
        public bool ReaderDone;
        public int Forked, Made;
        public int Revents = -1;
        public bool SawFrozen, Thawed;
        public int Steps, StepsWhileFrozen;
    }

    private static Cgroup Make(CgroupFs fs, Cgroup parent, string name)
    {
        Kevlar.Runtime.Diagnostics.Kassert.True(fs.Tree.Mkdir(parent, name, out Cgroup? made) == 0, "scenario set-up: mkdir");
        return made!;
    }

    private static void Place(CgroupFs fs, UserProcess p, Cgroup g)
        => Kevlar.Runtime.Diagnostics.Kassert.True(fs.Tree.Migrate(CgroupCall.MemberOf(p), g) == 0, "scenario set-up: move");

    private static CgroupFile Control(ProcessWorld w, CgroupFs fs, Cgroup g, string name)
    {
        var control = new CgroupControl(g, ControlFile.Named(name)!);
        return new CgroupFile(w.Host.Vfs, fs, control, OpenFlags.O_RDWR, g.EventsVersion);
    }

    private static void CheckTree(CgroupFs fs)
    {
        string? broken = fs.Tree.Check();
        Specification.Assert(broken == null, broken ?? "");
    }

    // write(0, "<pid>\n", n); exit(0);
    private static IEnumerable<UserOp> WritePidSteps(UserScript s, int pid)
    {
        byte[] text = System.Text.Encoding.ASCII.GetBytes(pid + "\n");
        s.Process!.UserMemory.Write(Text, text);
        yield return UserOp.Write(0, Text, text.Length);
        yield return UserOp.ExitGroup(0);
    }

    // fork(child: exit(0)); wait until the reader has read; exit(0).
    private static IEnumerable<UserOp> ForkAndWaitSteps(UserScript s, Outcome outcome)
    {
        yield return UserOp.Fork(Programs.Exiter(0));
        while (!outcome.ReaderDone)
        {
            yield return UserOp.Spin;
        }
        yield return UserOp.ExitGroup(0);
    }

    // read(0, buf, 16) (pids.current of the common parent); exit(0).
    private static IEnumerable<UserOp> ReaderSteps(UserScript s, Outcome outcome)
    {
        yield return UserOp.Yield;
        yield return UserOp.Read(0, Text, 16);
        var data = new byte[Math.Max(0, (int)s.Result)];
        s.Process!.UserMemory.Read(Text, data);
        outcome.Read = System.Text.Encoding.ASCII.GetString(data);
        outcome.ReaderDone = true;
        yield return UserOp.ExitGroup(0);
    }

    // fork(child: wait until both forks returned; exit(0)); wait likewise; exit(0).
    private static IEnumerable<UserOp> RacingForkSteps(UserScript s, Outcome outcome)
    {
        yield return UserOp.Fork(_ => WaitForBothSteps(outcome));
        outcome.Forked++;
        if (s.Result > 0)
        {
            outcome.Made++;
        }
        foreach (UserOp op in WaitForBothSteps(outcome))
        {
            yield return op;
        }
    }

    private static IEnumerable<UserOp> WaitForBothSteps(Outcome outcome)
    {
        while (outcome.Forked < 2)
        {
            yield return UserOp.Spin;
        }
        yield return UserOp.ExitGroup(0);
    }

    // struct pollfd p = { 0, POLLPRI }; poll(&p, 1, -1); exit(0);
    private static IEnumerable<UserOp> PollerSteps(UserScript s, Outcome outcome)
    {
        var fd = new byte[8];
        fd[4] = (byte)PollEvents.POLLPRI;
        s.Process!.UserMemory.Write(PollFd, fd);
        yield return UserOp.Poll(PollFd, 1, -1);
        var revents = new byte[2];
        s.Process.UserMemory.Read(PollFd + 6, revents);
        outcome.Revents = s.Result == 1 ? revents[0] | (revents[1] << 8) : (int)Math.Min(s.Result, 0) - 1000;
        yield return UserOp.ExitGroup(0);
    }
}

using Xunit;
using Kevlar.Cgroups;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Cgroups.Tests;

public class CgroupTreeTests
{
    private readonly FakeHost _host = new();
    private readonly CgroupTree _tree;

    public CgroupTreeTests() { _tree = new CgroupTree(_host); }

    private Cgroup Make(Cgroup parent, string name)
    {
        Assert.Equal(0, _tree.Mkdir(parent, name, out Cgroup? made));
        return made!;
    }

    // A cgroup under the root with the pids controller and a limit.
    private Cgroup Limited(string name, long max)
    {
        _tree.Root.SubtreePids = true;
        Cgroup g = Make(_tree.Root, name);
        g.PidsMax = max;
        return g;
    }

    private CgroupMember In(Cgroup g, int pid)
    {
        var m = new CgroupMember(pid);
        Assert.Equal(0, _tree.Migrate(m, g));
        return m;
    }

    private static int Err(int e) => -e;

    [Fact]
    public void Mkdir_Twice_EEXIST()
    {
        Make(_tree.Root, "a");
        Assert.Equal(Err(Errno.EEXIST), _tree.Mkdir(_tree.Root, "a", out _));
    }

    [Fact]
    public void Mkdir_PastAnAncestorsMaxDescendants_EAGAIN()
    {
        Cgroup a = Make(_tree.Root, "a");
        Make(a, "b");
        _tree.Root.MaxDescendants = 2;
        Assert.Equal(Err(Errno.EAGAIN), _tree.Mkdir(a, "c", out _));
        _tree.Root.MaxDescendants = 3;
        Assert.Equal(0, _tree.Mkdir(a, "c", out _));
    }

    [Fact]
    public void Mkdir_PastAnAncestorsMaxDepth_EAGAIN()
    {
        Cgroup a = Make(_tree.Root, "a");
        a.MaxDepth = 1;
        Cgroup b = Make(a, "b");
        Assert.Equal(Err(Errno.EAGAIN), _tree.Mkdir(b, "c", out _));
    }

    [Fact]
    public void Rmdir_PopulatedOrWithChildOrRoot_EBUSY()
    {
        Cgroup a = Make(_tree.Root, "a");
        Cgroup b = Make(a, "b");
        CgroupMember m = In(b, 7);
        Assert.Equal(Err(Errno.EBUSY), _tree.Rmdir(b));
        Assert.Equal(Err(Errno.EBUSY), _tree.Rmdir(a));
        Assert.Equal(Err(Errno.EBUSY), _tree.Rmdir(_tree.Root));
        _tree.Exit(m);
        Assert.Equal(0, _tree.Rmdir(b));
        Assert.Equal(0, _tree.Rmdir(a));
        Assert.True(b.Removed);
        Assert.Equal(1, _tree.Count);
    }

    [Fact]
    public void Fork_UnderTheLimit_ChargesEveryAncestorAndJoins()
    {
        Cgroup g = Limited("g", 5);
        g.SubtreePids = true;
        Cgroup leaf = Make(g, "leaf");
        CgroupMember parent = In(leaf, 2);
        var child = new CgroupMember(3);
        Assert.Equal(0, _tree.Fork(parent, child));
        Assert.Same(leaf, child.Group);
        Assert.Equal((2L, 2L, 2L), (leaf.PidsCurrent, g.PidsCurrent, g.PidsPeak));
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Fork_AtTheLimit_EAGAINAndCountsTheEvent()
    {
        Cgroup g = Limited("g", 2);
        CgroupMember parent = In(g, 2);
        Assert.Equal(0, _tree.Fork(parent, new CgroupMember(3)));
        Assert.Equal(Err(Errno.EAGAIN), _tree.Fork(parent, new CgroupMember(4)));
        Assert.Equal((2L, 1L), (g.PidsCurrent, g.PidsEventsMax));
        Assert.Equal("max 1\n", _tree.Read(g, ControlKind.PidsEvents));
    }

    [Fact]
    public void Fork_AnAncestorsLimit_CountsTheEventThere()
    {
        Cgroup g = Limited("g", 1);
        g.SubtreePids = true;
        Cgroup leaf = Make(g, "leaf");
        CgroupMember parent = In(leaf, 2);
        Assert.Equal(Err(Errno.EAGAIN), _tree.Fork(parent, new CgroupMember(3)));
        Assert.Equal((1L, 0L), (g.PidsEventsMax, leaf.PidsEventsMax));
    }

    [Fact]
    public void Fork_LimitWithoutThePidsController_NotEnforced()
    {
        Cgroup g = Make(_tree.Root, "g");
        g.PidsMax = 1;
        CgroupMember parent = In(g, 2);
        Assert.Equal(0, _tree.Fork(parent, new CgroupMember(3)));
    }

    [Fact]
    public void Fork_ByAProcessThatLeft_EAGAIN()
    {
        Cgroup g = Limited("g", 10);
        CgroupMember parent = In(g, 2);
        _tree.Exit(parent);
        Assert.Equal(Err(Errno.EAGAIN), _tree.Fork(parent, new CgroupMember(3)));
    }

    [Fact]
    public void Exit_LeavesTheGroupTheTreeHoldsNow_NotTheOneSeenBefore()
    {
        Cgroup a = Make(_tree.Root, "a"), b = Make(_tree.Root, "b");
        CgroupMember m = In(a, 5);
        Cgroup? seen = m.Group;
        Assert.Equal(0, _tree.Migrate(m, b));
        _tree.ExitFrom(m, seen);
        Assert.Empty(b.Members);
        Assert.Equal(1L, b.PidsCurrent); // the zombie's, until it is reaped
        Assert.Null(_tree.Check());
        _tree.Reap(m);
        Assert.Equal(0L, b.PidsCurrent);
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Exit_FromAStaleGroup_SeededBug1_LeavesTheDeadPid()
    {
        Cgroup a = Make(_tree.Root, "a"), b = Make(_tree.Root, "b");
        CgroupMember m = In(a, 5);
        Cgroup? seen = m.Group;
        _tree.Migrate(m, b);
        SeededBugs.CgroupExitFromStaleGroup = true;
        try { _tree.ExitFrom(m, seen); }
        finally { SeededBugs.CgroupExitFromStaleGroup = false; }
        Assert.Equal("MemberSetLive: an exiting process's pid left in its cgroup's member set", _tree.Check());
    }

    [Fact]
    public void Exit_Twice_OnlyOnce()
    {
        Cgroup a = Make(_tree.Root, "a");
        CgroupMember m = In(a, 5);
        _tree.Exit(m);
        _tree.Exit(m);
        Assert.Equal((1L, 0), (a.PidsCurrent, a.Population));
        Assert.Equal(Err(Errno.ESRCH), _tree.Migrate(m, a));
        _tree.Reap(m);
        _tree.Reap(m);
        Assert.Equal((0L, 0), (a.PidsCurrent, a.Population));
        Assert.Null(_tree.Check());
    }

    // Threads are tasks: each one counts in pids.current and against pids.max, in every
    // ancestor, and moves with its process; the zombie keeps one until it is reaped.
    [Fact]
    public void Threads_CountedChargedMovedAndReleased()
    {
        Cgroup a = Limited("a", 3), b = Make(_tree.Root, "b");
        CgroupMember m = In(a, 5);
        Assert.Equal(0, _tree.AddThread(m));
        Assert.Equal(0, _tree.AddThread(m));
        Assert.Equal(Err(Errno.EAGAIN), _tree.AddThread(m));
        Assert.Equal((3L, 1L), (a.PidsCurrent, a.PidsEventsMax));
        Assert.Equal(0, _tree.Migrate(m, b));
        Assert.Equal((0L, 3L), (a.PidsCurrent, b.PidsCurrent));
        _tree.AddTasks(m, -2);
        _tree.Exit(m);
        Assert.Equal(1L, b.PidsCurrent);
        Assert.Null(_tree.Check());
        _tree.Reap(m);
        Assert.Equal(0L, b.PidsCurrent);
        Assert.Null(_tree.Check());
    }

    // Thread counts posted from several CPUs may arrive after the exit, or after the reap:
    // the sum stays exact and nothing goes below zero.
    [Fact]
    public void ThreadDeltas_AfterExitOrReap_SumExact()
    {
        Cgroup a = Make(_tree.Root, "a");
        CgroupMember m = In(a, 5);
        _tree.AddTasks(m, 2);
        _tree.Exit(m);
        _tree.AddTasks(m, -1);
        Assert.Equal(2L, a.PidsCurrent);
        Assert.Null(_tree.Check());
        _tree.Reap(m);
        _tree.AddTasks(m, -1);
        Assert.Equal(0L, a.PidsCurrent);
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Migrate_MovesChargesBelowTheCommonAncestorOnly()
    {
        Cgroup p = Make(_tree.Root, "p");
        Cgroup a = Make(p, "a"), b = Make(p, "b");
        CgroupMember m = In(a, 5);
        Assert.Equal(0, _tree.Migrate(m, b));
        Assert.Equal((0L, 1L, 1L), (a.PidsCurrent, b.PidsCurrent, p.PidsCurrent));
        Assert.Equal(1, p.PidsPeak);
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Migrate_PastTheLimit_AllowedAsOnLinux()
    {
        Cgroup g = Limited("g", 1);
        In(g, 2);
        In(g, 3);
        Assert.Equal(2L, g.PidsCurrent);
    }

    // pids is a threaded controller: a cgroup enabling it for its children may still take a
    // process while no child is populated, and becomes a thread root (Linux's
    // cgroup_migrate_vet_dst and cgroup_can_be_thread_root).
    [Fact]
    public void Migrate_IntoACgroupWithPidsInItsSubtree_BecomesAThreadRoot()
    {
        _tree.Root.SubtreePids = true;
        Cgroup g = Make(_tree.Root, "g");
        Cgroup child = Make(g, "c");
        g.SubtreePids = true;
        Assert.Equal(0, _tree.Migrate(new CgroupMember(2), g));
        Assert.True(g.IsThreadRoot);
        Assert.Equal("domain threaded\n", _tree.Read(g, ControlKind.Type));
        Assert.Equal("domain invalid\n", _tree.Read(child, ControlKind.Type));
        Assert.Equal(Err(Errno.EOPNOTSUPP), _tree.Migrate(new CgroupMember(3), child));
    }

    [Fact]
    public void Migrate_IntoACgroupWithPidsInItsSubtreeAndAPopulatedChild_EBUSY()
    {
        _tree.Root.SubtreePids = true;
        Cgroup g = Make(_tree.Root, "g");
        g.SubtreePids = true;
        Cgroup child = Make(g, "c");
        In(child, 3);
        Assert.Equal(Err(Errno.EBUSY), _tree.Migrate(new CgroupMember(2), g));
        Assert.Equal("domain\n", _tree.Read(g, ControlKind.Type));
        Assert.Equal(0, _tree.Migrate(new CgroupMember(2), _tree.Root));
    }

    [Fact]
    public void Migrate_ToTheRoot_KeepsNoSet()
    {
        Cgroup a = Make(_tree.Root, "a");
        CgroupMember m = In(a, 5);
        Assert.Equal(0, _tree.Migrate(m, _tree.Root));
        Assert.Null(m.Group);
        Assert.Empty(_tree.Root.Members);
        Assert.Same(_tree.Root, _tree.GroupOf(m));
    }

    [Fact]
    public void Migrate_TwoSteps_SeededBug3_SeenInNeitherGroupBetween()
    {
        Cgroup p = Make(_tree.Root, "p");
        Cgroup a = Make(p, "a"), b = Make(p, "b");
        CgroupMember m = In(a, 5);
        SeededBugs.CgroupTwoStepMigration = true;
        try { _tree.Migrate(m, b); }
        finally { SeededBugs.CgroupTwoStepMigration = false; }
        Assert.Equal(0L, p.PidsCurrent);
        Assert.Null(m.Group);
        _host.Deferred.Single()();
        Assert.Equal((1L, b), (p.PidsCurrent, m.Group));
    }

    [Fact]
    public void Events_PopulatedChange_WakesEachWaiterOnce()
    {
        Cgroup a = Make(_tree.Root, "a");
        var w = new FakeWaiter();
        var gone = new FakeWaiter();
        Assert.False(_tree.PollEvents(a, a.EventsVersion, w));
        Assert.False(_tree.PollEvents(a, a.EventsVersion, gone));
        gone.Done = true;
        int seen = a.EventsVersion;
        CgroupMember m = In(a, 5);
        Assert.Equal([w], _host.Woken);
        Assert.True(_tree.PollEvents(a, seen, null));
        In(a, 6);
        Assert.Single(_host.Woken);
        _tree.Exit(m);
        Assert.Equal("populated 1\nfrozen 0\n", _tree.Read(a, ControlKind.Events));
    }

    [Fact]
    public void Events_ChangeWithSeededBug9_WakesNobody()
    {
        Cgroup a = Make(_tree.Root, "a");
        var w = new FakeWaiter();
        _tree.PollEvents(a, a.EventsVersion, w);
        SeededBugs.CgroupEventsSkipPoll = true;
        try { In(a, 5); }
        finally { SeededBugs.CgroupEventsSkipPoll = false; }
        Assert.Empty(_host.Woken);
    }

    [Fact]
    public void Events_ChildPopulated_ChangesTheParentToo()
    {
        Cgroup a = Make(_tree.Root, "a");
        Cgroup b = Make(a, "b");
        int before = a.EventsVersion;
        In(b, 5);
        Assert.True(a.Populated);
        Assert.NotEqual(before, a.EventsVersion);
    }

    [Fact]
    public void Kill_SignalsTheWholeSubtree()
    {
        Cgroup a = Make(_tree.Root, "a");
        Cgroup b = Make(a, "b");
        In(a, 5);
        In(b, 6);
        CgroupMember none = new(7);
        Assert.Equal(0, _tree.Write(a, ControlKind.Kill, "1\n", none, _ => null));
        Assert.Equal([5, 6], _host.Killed);
    }
}

// ThreadModeTests: cgroup v2 thread mode as Linux has it (checked against this
// host's cgroup2): cgroup.type "threaded" (cgroup_enable_threaded's rules), the
// types it makes ("domain threaded" above, "domain invalid" beside and below),
// cgroup.threads moving one thread within its resource domain (EOPNOTSUPP
// across domains), the charges and population that follow it, cgroup.procs
// of a threaded cgroup (EOPNOTSUPP to read; a write moves every thread), and
// the end of placed threads, the process's exit and its reap.
using Xunit;
using Kevlar.Cgroups;

namespace Kevlar.Cgroups.Tests;

public class ThreadModeTests
{
    private readonly FakeHost _host = new();
    private readonly CgroupTree _tree;
    private readonly Cgroup _d, _t, _u;

    public ThreadModeTests()
    {
        _tree = new CgroupTree(_host);
        Assert.Equal(0, Write(_tree.Root, ControlKind.SubtreeControl, "+pids"));
        _d = Make(_tree.Root, "d");
        _t = Make(_d, "t");
        _u = Make(_d, "u");
        Assert.Equal(0, Write(_d, ControlKind.SubtreeControl, "+pids"));
    }

    private Cgroup Make(Cgroup parent, string name)
    {
        Assert.Equal(0, _tree.Mkdir(parent, name, out Cgroup? made));
        return made!;
    }

    private int Write(Cgroup g, ControlKind file, string text, CgroupMember? writer = null)
        => _tree.Write(g, file, text, writer ?? new CgroupMember(1), pid => _host.MemberOf(pid),
            0, tid => _host.MemberOf(tid / 100 * 100)); // thread ids here are the pid plus 0..99

    // A process with pid and threads pid+0.. pid+n-1, moved into g.
    private CgroupMember Process(int pid, int threads, Cgroup g)
    {
        var m = new CgroupMember(pid) { };
        var tids = new int[threads];
        for (int i = 0; i < threads; i++) tids[i] = pid + i;
        _host.Threads[pid] = tids;
        _host.Members[pid] = m;
        Assert.Equal(0, _tree.Migrate(m, g));
        return m;
    }

    private string Type(Cgroup g) => _tree.Read(g, ControlKind.Type);

    [Fact]
    public void Threaded_MakesTheParentAThreadRoot_AndItsDomainChildrenInvalid()
    {
        Assert.Equal(0, Write(_t, ControlKind.Type, "threaded"));
        Assert.Equal(0, Write(_t, ControlKind.Type, "threaded\n"));           // again: nothing to do
        Assert.Equal("domain threaded\n", Type(_d));
        Assert.Equal("threaded\n", Type(_t));
        Assert.Equal("domain invalid\n", Type(_u));
        Cgroup x = Make(_t, "x");
        Assert.Equal("domain invalid\n", Type(x));                                // below a threaded cgroup
        Assert.Equal(0, Write(x, ControlKind.Type, "threaded"));
        Assert.Same(_d, x.Domain);
        Assert.Equal(-Errno.EINVAL, Write(_t, ControlKind.Type, "domain"));

        CgroupMember m = Process(100, 1, _tree.Root);
        Assert.Equal(-Errno.EOPNOTSUPP, _tree.Migrate(m, _u));                     // an invalid domain takes no process
        Assert.Equal(0, _tree.Migrate(m, x));                                       // a threaded cgroup does
    }

    [Fact]
    public void Threaded_RefusedWhenPopulated_OrWhenTheParentCannotBeAThreadRoot()
    {
        Process(100, 1, _t);
        Assert.Equal(-Errno.EOPNOTSUPP, Write(_t, ControlKind.Type, "threaded"));  // populated
        Assert.Equal(-Errno.EOPNOTSUPP, Write(_u, ControlKind.Type, "threaded"));  // d has a populated domain child
    }

    [Fact]
    public void CgroupThreads_MovesOneThread_WithinItsDomain_ChargesFollow()
    {
        Assert.Equal(0, Write(_t, ControlKind.Type, "threaded"));
        CgroupMember m = Process(100, 3, _d);
        Assert.Equal(3, _d.PidsCurrent);

        Assert.Equal(0, Write(_t, ControlKind.Threads, "101"));
        Assert.Same(_t, _tree.GroupOf(m, 101));
        Assert.Equal("101\n", _tree.Read(_t, ControlKind.Threads));
        Assert.Equal("100\n102\n", _tree.Read(_d, ControlKind.Threads));
        Assert.Equal("100\n", _tree.Read(_d, ControlKind.Procs));                 // the thread root lists its domain's processes
        Assert.Equal(-Errno.EOPNOTSUPP, CgroupTree.MayRead(_t, ControlKind.Procs));
        Assert.Equal(1, _t.PidsCurrent);
        Assert.Equal(3, _d.PidsCurrent);                                             // hierarchical: still all three
        Assert.True(_t.Populated);
        Assert.Null(_tree.Check());

        Assert.Equal(-Errno.EOPNOTSUPP, Write(_u, ControlKind.Threads, "102"));     // another domain
        Assert.Equal(-Errno.ESRCH, Write(_t, ControlKind.Threads, "999"));
        Assert.Equal(-Errno.EINVAL, Write(_t, ControlKind.Threads, "-1"));

        Assert.Equal(0, Write(_d, ControlKind.Threads, "101"));                     // home again
        Assert.Null(m.PlacementOf(101));
        Assert.Equal(0, _t.PidsCurrent);
        Assert.False(_t.Populated);
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void CgroupProcs_OfAThreadedCgroup_MovesEveryThread()
    {
        Assert.Equal(0, Write(_t, ControlKind.Type, "threaded"));
        CgroupMember m = Process(100, 2, _d);
        Assert.Equal(0, Write(_t, ControlKind.Threads, "101"));
        Assert.Equal(0, Write(_t, ControlKind.Procs, "100"));
        Assert.Empty(m.Placed);
        Assert.Same(_t, m.Group);
        Assert.Equal(2, _t.PidsCurrent);
        Assert.Equal("100\n101\n", _tree.Read(_t, ControlKind.Threads));
        Assert.Equal("100\n", _tree.Read(_d, ControlKind.Procs));
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void PlacedThreads_NewThreadsFollowTheirCreator_EndsAndReapUncharge()
    {
        Assert.Equal(0, Write(_t, ControlKind.Type, "threaded"));
        CgroupMember m = Process(100, 2, _d);
        Assert.Equal(0, Write(_t, ControlKind.Threads, "101"));

        Assert.Equal(0, _tree.AddThread(m, 101, 102));                             // made by the placed thread: placed with it
        Assert.Same(_t, _tree.GroupOf(m, 102));
        Assert.Equal(2, _t.PidsCurrent);
        var child = new CgroupMember(200);
        Assert.Equal(0, _tree.Fork(m, child, 102));                                 // a fork by it starts there too
        Assert.Same(_t, child.Group);
        Assert.Null(_tree.Check());

        _tree.ThreadGone(m, 102);
        Assert.Equal(2, _t.PidsCurrent);                                            // 101 and the child
        _tree.Exit(m);
        Assert.Equal(1 + 1, _t.PidsCurrent);                                        // the placed thread's task stays until it ends or the reap
        Assert.True(_t.Populated);                                                  // the child lives there
        _tree.Reap(m);
        Assert.Equal(1, _t.PidsCurrent);
        Assert.Equal(1, _d.PidsCurrent);
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Freeze_OfAThreadedCgroup_FreezesItsPlacedThreadsOnly()
    {
        Assert.Equal(0, Write(_t, ControlKind.Type, "threaded"));
        CgroupMember m = Process(100, 2, _d);
        Assert.Equal(0, Write(_t, ControlKind.Threads, "101"));
        Assert.Equal((101, (int?)0), _host.ThreadsFrozen[^1]);                     // placed: it follows t
        Assert.Equal(0, Write(_t, ControlKind.Freeze, "1"));
        int? asked = _host.ThreadsFrozen[^1].Generation;
        Assert.Equal(101, _host.ThreadsFrozen[^1].Tid);
        Assert.True(asked > 0);
        Assert.Empty(_host.Frozen);                                                 // the process itself is not
        Assert.False(_t.Frozen);                                                    // until the thread answers
        _tree.FreezeAnswered(m, 101, asked!.Value);
        Assert.True(_t.Frozen);
        Assert.False(_d.Frozen);
        Assert.Equal(0, Write(_d, ControlKind.Threads, "101"));
        Assert.Equal((101, (int?)null), _host.ThreadsFrozen[^1]);                 // home: its process decides again
        Assert.True(_t.Frozen);                                                     // nothing left in t to stop
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void PlacedThreads_CountAgainstPidsMax()
    {
        Assert.Equal(0, Write(_t, ControlKind.Type, "threaded"));
        Assert.Equal(0, Write(_t, ControlKind.PidsMax, "1"));
        CgroupMember m = Process(100, 1, _d);
        Assert.Equal(0, Write(_t, ControlKind.Threads, "100"));
        Assert.Equal(-Errno.EAGAIN, _tree.AddThread(m, 100, 101));
        Assert.Equal("max 1\n", _tree.Read(_t, ControlKind.PidsEvents));
        Assert.Equal(0, _tree.AddThread(m, 0, 101));                               // (a creator at home: d has no limit)
    }
}

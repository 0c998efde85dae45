// cgroup.freeze as asks and answers (CgroupTree.Freeze.cs): frozen only once
// every process in the subtree has answered, at once when empty, thawed at
// once; stale answers dropped; forks, moves and exits keep the count.
using Kevlar.Cgroups;
using Xunit;

namespace Kevlar.Cgroups.Tests;

public sealed class FreezeTests
{
    private readonly FakeHost _host = new();
    private readonly CgroupTree _tree;

    public FreezeTests() { _tree = new CgroupTree(_host); }

    private Cgroup Make(Cgroup parent, string name)
    {
        Assert.Equal(0, _tree.Mkdir(parent, name, out Cgroup? made));
        return made!;
    }

    private CgroupMember In(Cgroup g, int pid)
    {
        var m = new CgroupMember(pid);
        Assert.Equal(0, _tree.Migrate(m, g));
        return m;
    }

    private void Write(Cgroup g, string value) => Assert.Equal(0, _tree.Write(g, ControlKind.Freeze, value, new CgroupMember(1), _ => null));

    // The generation of the last ask to pid.
    private int AskOf(int pid) => _host.Frozen.FindLast(f => f.Pid == pid).Generation;

    private static string Events(bool populated, bool frozen) => $"populated {(populated ? 1 : 0)}\nfrozen {(frozen ? 1 : 0)}\n";

    [Fact]
    public void Freeze_ReportsFrozenOnlyOnceEveryMemberAnswered()
    {
        Cgroup a = Make(_tree.Root, "a"), b = Make(a, "b");
        CgroupMember five = In(a, 5), six = In(b, 6);
        int version = a.EventsVersion;
        Write(a, "1");
        Assert.True(AskOf(5) > 0 && AskOf(6) > 0);
        Assert.Equal(Events(true, false), _tree.Read(a, ControlKind.Events));
        Assert.Equal(version, a.EventsVersion);
        _tree.FreezeAnswered(six, 0, AskOf(6));
        Assert.True(b.Frozen);
        Assert.False(a.Frozen);                      // its own member has not answered
        _tree.FreezeAnswered(five, 0, AskOf(5));
        Assert.Equal(Events(true, true), _tree.Read(a, ControlKind.Events));
        Assert.Equal(version + 1, a.EventsVersion);  // one change, seen by pollers
        Assert.Equal("0\n", _tree.Read(b, ControlKind.Freeze));
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Freeze_EmptyIsFrozenAtOnce_AndThawIsAtOnce()
    {
        Cgroup a = Make(_tree.Root, "a");
        CgroupMember m = In(a, 5);
        Cgroup e = Make(_tree.Root, "e");
        Write(e, "1");
        Assert.Equal(Events(false, true), _tree.Read(e, ControlKind.Events));
        Write(a, "1");
        _tree.FreezeAnswered(m, 0, AskOf(5));
        Assert.True(a.Frozen);
        Write(a, "0");
        Assert.Equal(Events(true, false), _tree.Read(a, ControlKind.Events));
        Assert.Equal(0, AskOf(5));                   // told to run
        Assert.Equal(0, m.FreezeWanted);
        Assert.True(Make(e, "c").Frozen);            // a new child of a frozen cgroup is frozen (empty)
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Freeze_AnswerToAWithdrawnAsk_IsDropped()
    {
        Cgroup a = Make(_tree.Root, "a");
        CgroupMember m = In(a, 5);
        Write(a, "1");
        int first = AskOf(5);
        Write(a, "0");
        Write(a, "1");
        int second = AskOf(5);
        Assert.NotEqual(first, second);
        _tree.FreezeAnswered(m, 0, first);           // it answered the first ask, after the thaw
        Assert.False(a.Frozen);
        _tree.FreezeAnswered(m, 0, second);
        Assert.True(a.Frozen);
        _tree.FreezeAnswered(m, 0, second);          // twice: nothing more
        Assert.Equal(0, a.FreezePending);
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Freeze_ExitOfTheLastUnansweredMember_CompletesIt()
    {
        Cgroup a = Make(_tree.Root, "a");
        CgroupMember m = In(a, 5);
        CgroupMember n = In(a, 6);
        Write(a, "1");
        _tree.FreezeAnswered(n, 0, AskOf(6));
        Assert.False(a.Frozen);
        _tree.Exit(m);
        Assert.True(a.Frozen);
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Freeze_ForkIntoAFreezingCgroup_StartsStoppedWithoutAnAsk()
    {
        Cgroup a = Make(_tree.Root, "a");
        CgroupMember parent = In(a, 5);
        Write(a, "1");
        var child = new CgroupMember(7);
        Assert.Equal(0, _tree.Fork(parent, child));
        Assert.True(child.FreezeWanted != 0);        // it reads this once it is a process
        Assert.Equal(1, a.FreezePending);            // only the parent is asked
        _tree.FreezeAnswered(parent, 0, AskOf(5));
        Assert.True(a.Frozen);
        Write(a, "0");
        Assert.Equal(0, child.FreezeWanted);
        Assert.Equal(0, AskOf(7));
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Freeze_Moves_KeepTheCount()
    {
        Cgroup a = Make(_tree.Root, "a"), b = Make(_tree.Root, "b"), c = Make(_tree.Root, "c");
        CgroupMember m = In(a, 5);
        Write(a, "1");
        Write(b, "1");
        Assert.True(b.Frozen);
        int asked = AskOf(5);
        Assert.Equal(0, _tree.Migrate(m, b));        // unanswered: it is awaited in b now
        Assert.True(a.Frozen);
        Assert.False(b.Frozen);
        _tree.FreezeAnswered(m, 0, asked);
        Assert.True(b.Frozen);
        int asks = _host.Frozen.Count;
        Assert.Equal(0, _tree.Migrate(m, a));        // stopped already: frozen a stays frozen, nothing asked
        Assert.True(a.Frozen);
        Assert.Equal(asks, _host.Frozen.Count);
        Assert.Equal(0, _tree.Migrate(m, c));        // into a cgroup not freezing: it runs again
        Assert.Equal(0, AskOf(5));
        Assert.Equal(0, m.FreezeWanted);
        Assert.Equal(0, _tree.Migrate(m, a));        // and is asked again going back
        Assert.True(AskOf(5) > 0);
        Assert.False(a.Frozen);
        Assert.Null(_tree.Check());
    }

    [Fact]
    public void Freeze_ParentWaitsForChildren_AndRmdirOfTheLastUnfrozenChildCompletesIt()
    {
        Cgroup a = Make(_tree.Root, "a"), b = Make(a, "b");
        CgroupMember m = In(b, 5);
        Write(a, "1");
        Assert.False(a.Frozen);
        _tree.Exit(m);
        _tree.Reap(m);
        Assert.True(b.Frozen && a.Frozen);
        Write(b, "1");
        Write(a, "0");
        Assert.False(a.Frozen);
        Assert.True(b.Frozen);                       // its own freeze holds
        Assert.Equal(0, _tree.Rmdir(b));
        Assert.Null(_tree.Check());
    }
}

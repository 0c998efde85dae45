using System.Collections.Generic;
using Kevlar.Locks;
using Xunit;

namespace Kevlar.Locks.Tests;

public class FileLocksTests
{
    private readonly LockRegistry _registry = new LockRegistry();
    private readonly object _a = new object(), _b = new object(), _c = new object();

    private FileLocks NewTable() => new FileLocks(_registry, 0, 1);

    private static FileLock Rec(object owner, int type, long start, long end) => new FileLock(owner, LockKind.Posix, type, start, end, 1);

    private static string Ranges(FileLocks t, object owner)
    {
        var parts = new List<string>();
        foreach (FileLock l in t.Posix)
            if (ReferenceEquals(l.Owner, owner)) parts.Add((l.Type == FileLock.F_WRLCK ? "W" : "R") + l.Start + "-" + (l.End == FileLock.Eof ? "EOF" : l.End.ToString()));
        return string.Join(",", parts);
    }

    [Fact]
    public void SetRecord_SameTypeAdjacent_Merges()
    {
        FileLocks t = NewTable();
        Assert.Equal(0, t.SetRecord(Rec(_a, FileLock.F_WRLCK, 0, 9), null));
        Assert.Equal(0, t.SetRecord(Rec(_a, FileLock.F_WRLCK, 20, 29), null));
        Assert.Equal(0, t.SetRecord(Rec(_a, FileLock.F_WRLCK, 10, 19), null));
        Assert.Equal("W0-29", Ranges(t, _a));
    }

    [Fact]
    public void SetRecord_OtherTypeInside_Splits()
    {
        FileLocks t = NewTable();
        t.SetRecord(Rec(_a, FileLock.F_WRLCK, 0, 99), null);
        t.SetRecord(Rec(_a, FileLock.F_RDLCK, 40, 59), null);
        Assert.Equal("W0-39,R40-59,W60-99", Ranges(t, _a));
        t.SetRecord(Rec(_a, FileLock.F_UNLCK, 50, 69), null);
        Assert.Equal("W0-39,R40-49,W70-99", Ranges(t, _a));
    }

    [Fact]
    public void SetRecord_UnlockToEof_TrimsEverything()
    {
        FileLocks t = NewTable();
        t.SetRecord(Rec(_a, FileLock.F_RDLCK, 10, FileLock.Eof), null);
        t.SetRecord(Rec(_a, FileLock.F_UNLCK, 20, FileLock.Eof), null);
        Assert.Equal("R10-19", Ranges(t, _a));
        t.SetRecord(Rec(_a, FileLock.F_UNLCK, 0, FileLock.Eof), null);
        Assert.True(t.IsEmpty);
        Assert.Empty(_registry.Tables);
    }

    [Fact]
    public void SetRecord_Conflict_AgainOrBlocked()
    {
        FileLocks t = NewTable();
        t.SetRecord(Rec(_a, FileLock.F_RDLCK, 0, 9), null);
        Assert.Equal(0, t.SetRecord(Rec(_b, FileLock.F_RDLCK, 5, 15), null));
        Assert.Equal(-Errno.EAGAIN, t.SetRecord(Rec(_c, FileLock.F_WRLCK, 9, 9), null));
        Assert.Same(t.Posix[0], t.Test(Rec(_c, FileLock.F_WRLCK, 0, 0)));
        Assert.Null(t.Test(Rec(_c, FileLock.F_WRLCK, 16, 20)));
        var w = new FakeWaiter();
        Assert.Equal(FileLocks.Blocked, t.SetRecord(Rec(_c, FileLock.F_WRLCK, 9, 9), w));
        t.RemoveOwner(_a);
        Assert.Equal(1, w.Wakes);
        Assert.Empty(t.Waiting);
    }

    [Fact]
    public void SetRecord_TwoOwnerCycle_Deadlocks()
    {
        FileLocks t = NewTable();
        t.SetRecord(Rec(_a, FileLock.F_WRLCK, 0, 0), null);
        t.SetRecord(Rec(_b, FileLock.F_WRLCK, 1, 1), null);
        Assert.Equal(FileLocks.Blocked, t.SetRecord(Rec(_a, FileLock.F_WRLCK, 1, 1), new FakeWaiter()));
        Assert.Equal(-Errno.EDEADLK, t.SetRecord(Rec(_b, FileLock.F_WRLCK, 0, 0), new FakeWaiter()));
    }

    [Fact]
    public void SetRecord_ThreeOwnerCycleAcrossFiles_Deadlocks()
    {
        FileLocks f1 = NewTable(), f2 = NewTable(), f3 = NewTable();
        f1.SetRecord(Rec(_a, FileLock.F_WRLCK, 0, 0), null);
        f2.SetRecord(Rec(_b, FileLock.F_WRLCK, 0, 0), null);
        f3.SetRecord(Rec(_c, FileLock.F_WRLCK, 0, 0), null);
        Assert.Equal(FileLocks.Blocked, f2.SetRecord(Rec(_a, FileLock.F_WRLCK, 0, 0), new FakeWaiter()));
        Assert.Equal(FileLocks.Blocked, f3.SetRecord(Rec(_b, FileLock.F_WRLCK, 0, 0), new FakeWaiter()));
        Assert.Equal(-Errno.EDEADLK, f1.SetRecord(Rec(_c, FileLock.F_WRLCK, 0, 0), new FakeWaiter()));
    }

    [Fact]
    public void SetRecord_AbandonedWaiter_BreaksNoCycle()
    {
        FileLocks t = NewTable();
        t.SetRecord(Rec(_a, FileLock.F_WRLCK, 0, 0), null);
        t.SetRecord(Rec(_b, FileLock.F_WRLCK, 1, 1), null);
        var w = new FakeWaiter();
        t.SetRecord(Rec(_a, FileLock.F_WRLCK, 1, 1), w);
        w.Done = true;
        Assert.Equal(FileLocks.Blocked, t.SetRecord(Rec(_b, FileLock.F_WRLCK, 0, 0), new FakeWaiter()));
    }

    [Fact]
    public void SetRecord_OfdWaiter_NeverDeadlocks()
    {
        FileLocks t = NewTable();
        t.SetRecord(new FileLock(_a, LockKind.Ofd, FileLock.F_WRLCK, 0, 0, -1), null);
        t.SetRecord(new FileLock(_b, LockKind.Ofd, FileLock.F_WRLCK, 1, 1, -1), null);
        Assert.Equal(FileLocks.Blocked, t.SetRecord(new FileLock(_a, LockKind.Ofd, FileLock.F_WRLCK, 1, 1, -1), new FakeWaiter()));
        Assert.Equal(FileLocks.Blocked, t.SetRecord(new FileLock(_b, LockKind.Ofd, FileLock.F_WRLCK, 0, 0, -1), new FakeWaiter()));
    }

    [Fact]
    public void SetFlock_SharedThenExclusive_Conflicts()
    {
        FileLocks t = NewTable();
        Assert.Equal(0, t.SetFlock(FileLock.Flock(_a, FileLock.F_RDLCK, 1), null));
        Assert.Equal(0, t.SetFlock(FileLock.Flock(_b, FileLock.F_RDLCK, 2), null));
        Assert.Equal(-Errno.EAGAIN, t.SetFlock(FileLock.Flock(_c, FileLock.F_WRLCK, 3), null));
        // Upgrade is not atomic: the refused upgrade leaves a without its shared lock.
        Assert.Equal(-Errno.EAGAIN, t.SetFlock(FileLock.Flock(_a, FileLock.F_WRLCK, 1), null));
        Assert.Single(t.Flocks);
        Assert.Equal(0, t.SetFlock(FileLock.Flock(_b, FileLock.F_WRLCK, 2), null));
    }

    [Fact]
    public void SetFlock_Unlock_WakesWaiter()
    {
        FileLocks t = NewTable();
        t.SetFlock(FileLock.Flock(_a, FileLock.F_WRLCK, 1), null);
        var w = new FakeWaiter();
        Assert.Equal(FileLocks.Blocked, t.SetFlock(FileLock.Flock(_b, FileLock.F_RDLCK, 2), w));
        Assert.Equal(0, t.SetFlock(FileLock.Flock(_a, FileLock.F_UNLCK, 1), null));
        Assert.Equal(1, w.Wakes);
        Assert.Equal(0, t.SetFlock(FileLock.Flock(_b, FileLock.F_RDLCK, 2), null));
    }

    [Fact]
    public void FlockAndRecord_NeverConflict()
    {
        FileLocks t = NewTable();
        t.SetFlock(FileLock.Flock(_a, FileLock.F_WRLCK, 1), null);
        Assert.Equal(0, t.SetRecord(Rec(_b, FileLock.F_WRLCK, 0, FileLock.Eof), null));
    }
}

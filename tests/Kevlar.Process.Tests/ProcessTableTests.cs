// ProcessTableTests: the published snapshot of every process — lookups by
// pid, and adds and removes from several host threads at once losing none.
using Kevlar.Process.Tests.Support;
using Xunit;

namespace Kevlar.Process.Tests;

public class ProcessTableTests
{
    [Fact]
    public void AddFindRemove_OneThread_BehaveAsASet()
    {
        var k = new ProcessHarness();
        UserProcess a = k.NewProcess(), b = k.NewProcess();
        var table = new ProcessTable();

        table.Add(a);
        table.Add(b);
        table.Remove(a);
        table.Remove(a);

        Assert.Null(table.Find(a.Pid));
        Assert.Same(b, table.Find(b.Pid));
        Assert.Equal(new[] { b }, table.Snapshot);
    }

    [Fact]
    public void AddAndRemove_FromFourThreadsAtOnce_LoseNothing()
    {
        var k = new ProcessHarness();
        UserProcess[] all = Enumerable.Range(0, 400).Select(_ => k.NewProcess()).ToArray();
        var table = new ProcessTable();

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
        {
            for (int i = w; i < all.Length; i += 4) table.Add(all[i]);
            for (int i = w; i < all.Length; i += 8) table.Remove(all[i]);
        });

        Assert.Equal(200, table.Snapshot.Length);
        Assert.All(all.Where((_, i) => i % 8 >= 4), p => Assert.Same(p, table.Find(p.Pid)));
        Assert.All(all.Where((_, i) => i % 8 < 4), p => Assert.Null(table.Find(p.Pid)));
    }
}

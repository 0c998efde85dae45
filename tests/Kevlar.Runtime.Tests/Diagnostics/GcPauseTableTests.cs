// GcPauseTableTests: /proc/kevlar/gc's text — a header, the column line, one
// line per collection in microseconds and KiB, and median/p99/max per column.
using Kevlar.Runtime.Diagnostics;
using Xunit;

namespace Kevlar.Runtime.Tests.Diagnostics;

public class GcPauseTableTests
{
    private static GcPause Pause(long number, ulong markUs) => new GcPause
    {
        Number = number,
        SafepointNs = 2_000,
        RootsNs = 1_500,
        MarkNs = markUs * 1000,
        SweepNs = 999,
        PauseNs = (markUs + 3) * 1000,
        LiveBytes = 10 * 1024,
        LiveObjects = 320,
        StartPauseNs = 4_000,
        ConcurrentNs = markUs * 100_000,
        AllocatedDuringMarkBytes = 2048,
    };

    [Fact]
    public void Text_ThreeCollections_OneLineEachThenSummary()
    {
        var pauses = new[] { Pause(5, 30), Pause(6, 10), Pause(7, 20) };

        string[] lines = GcPauseTable.Text(pauses, 3, 7).TrimEnd('\n').Split('\n');

        Assert.Equal("# kevlar gc: 7 collections, last 3 below; times in us", lines[0]);
        Assert.Equal(GcPauseTable.Columns, lines[1]);
        Assert.Equal("5 2 0 1 30 0 33 10 320 4 3000 2", lines[2]);
        Assert.Equal("median 2 0 1 20 0 23 10 320 4 2000 2", lines[5]);
        Assert.Equal("p99 2 0 1 30 0 33 10 320 4 3000 2", lines[6]);
        Assert.Equal("max 2 0 1 30 0 33 10 320 4 3000 2", lines[7]);
        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public void Text_NoCollections_HeaderAndColumnsOnly()
    {
        string text = GcPauseTable.Text(new GcPause[0], 0, 0);

        Assert.Equal("# kevlar gc: 0 collections, last 0 below; times in us\n" + GcPauseTable.Columns + "\n", text);
    }

    [Fact]
    public void P99Rank_HundredAndTwoHundredValues_NearestRank()
    {
        Assert.Equal(99, GcPauseTable.P99Rank(100));
        Assert.Equal(198, GcPauseTable.P99Rank(200));
        Assert.Equal(20, GcPauseTable.P99Rank(20));
        Assert.Equal(1, GcPauseTable.P99Rank(1));
    }

    [Fact]
    public void Ranked_UnsortedInput_ReturnsOrderStatistic()
    {
        var pauses = new[] { Pause(1, 50), Pause(2, 10), Pause(3, 40), Pause(4, 20), Pause(5, 30) };

        Assert.Equal(10UL, GcPauseTable.Ranked(pauses, 5, 3, 1));
        Assert.Equal(30UL, GcPauseTable.Ranked(pauses, 5, 3, GcPauseTable.MedianRank(5)));
        Assert.Equal(53UL, GcPauseTable.Ranked(pauses, 5, GcPauseTable.PauseColumn, 5));
    }
}

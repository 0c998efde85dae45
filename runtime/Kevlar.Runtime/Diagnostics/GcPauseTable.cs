// GcPauseTable: the text of /proc/kevlar/gc and of the gc-pauses self-test.
// One header line, a column line, one line per recent collection (oldest
// first), then median, p99 and max of every column over those lines. Times in
// microseconds, live data in KiB; fields separated by single spaces, so a
// script splits lines on whitespace:
//
//   # kevlar gc: 42 collections, last 3 below; times in us
//   n safepoint clear roots mark sweep pause live_kib live_objects start concurrent black_kib
//   40 12 0 85 140 3 190 10240 327700 95 48000 2048
//   ...
//   median 12 0 85 140 3 190 10240 327700 95 48000 2048
//
// "pause" is the longest stop of the world in the collection; "start" is a
// concurrent collection's first pause, "concurrent" the mark between its two
// pauses and "black_kib" what was allocated meanwhile and kept untraced (all
// three 0 for a collection that stops the world once).
//
// p99 is the nearest rank (the value at position ceil(0.99 n) in sorted order).
using System.Text;
using Kevlar.Runtime.Text;

namespace Kevlar.Runtime.Diagnostics;

public static class GcPauseTable
{
    public const string Columns = "n safepoint clear roots mark sweep pause live_kib live_objects start concurrent black_kib";
    private const int Figures = 11;
    /// <summary>The index of the pause column for <see cref="Figure"/> and <see cref="Ranked"/>.</summary>
    public const int PauseColumn = 5;

    public static int MedianRank(int count) => (count + 1) / 2;

    /// <summary>The nearest rank of the 99th percentile: ceil(0.99 count).</summary>
    public static int P99Rank(int count) => (count * 99 + 99) / 100;

    /// <summary>The whole text: <paramref name="count"/> records of <paramref name="pauses"/> (oldest
    /// first) out of <paramref name="collections"/> since boot.</summary>
    public static string Text(GcPause[] pauses, int count, long collections)
    {
        var sb = new StringBuilder();
        sb.Append("# kevlar gc: ").Append(NumberText.Decimal(collections)).Append(" collections, last ")
          .Append(NumberText.Decimal(count)).Append(" below; times in us\n");
        sb.Append(Columns).Append('\n');
        for (int i = 0; i < count; i++) Row(sb, pauses[i]);
        if (count > 0)
        {
            Summary(sb, "median", pauses, count, MedianRank(count));
            Summary(sb, "p99", pauses, count, P99Rank(count));
            Summary(sb, "max", pauses, count, count);
        }
        return sb.ToString();
    }

    /// <summary>Column <paramref name="column"/> of a record in the units printed (us, KiB, count).</summary>
    public static ulong Figure(in GcPause p, int column) => column switch
    {
        0 => p.SafepointNs / 1000,
        1 => p.ClearNs / 1000,
        2 => p.RootsNs / 1000,
        3 => p.MarkNs / 1000,
        4 => p.SweepNs / 1000,
        5 => p.PauseNs / 1000,
        6 => p.LiveBytes / 1024,
        7 => (ulong)p.LiveObjects,
        8 => p.StartPauseNs / 1000,
        9 => p.ConcurrentNs / 1000,
        _ => p.AllocatedDuringMarkBytes / 1024,
    };

    /// <summary>The value at 1-based <paramref name="rank"/> of column <paramref name="column"/> in ascending order.</summary>
    public static ulong Ranked(GcPause[] pauses, int count, int column, int rank)
    {
        var values = new ulong[count];
        for (int i = 0; i < count; i++) values[i] = Figure(pauses[i], column);
        // Insertion sort: at most a ring's worth of values, and the corlib has no Array.Sort.
        for (int i = 1; i < count; i++)
        {
            ulong v = values[i];
            int j = i - 1;
            while (j >= 0 && values[j] > v) { values[j + 1] = values[j]; j--; }
            values[j + 1] = v;
        }
        return values[rank - 1];
    }

    private static void Row(StringBuilder sb, in GcPause p)
    {
        sb.Append(NumberText.Decimal(p.Number));
        for (int c = 0; c < Figures; c++) sb.Append(' ').Append(NumberText.Decimal((long)Figure(p, c)));
        sb.Append('\n');
    }

    private static void Summary(StringBuilder sb, string label, GcPause[] pauses, int count, int rank)
    {
        sb.Append(label);
        for (int c = 0; c < Figures; c++) sb.Append(' ').Append(NumberText.Decimal((long)Ranked(pauses, count, c, rank)));
        sb.Append('\n');
    }
}

// The chart of ratios: one horizontal bar per benchmark, drawn on a log scale
// from the 1.0 line (equal time) — left of it (green) Kevlar takes less time
// than Linux, right of it (red) more. A benchmark without a ratio (it failed
// on a kernel) keeps its row with no bar.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScottPlot;

namespace Kevlar.BenchReport;

public static class RatioChart
{
    private static readonly double[] s_ticks = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

    public static void Save(IReadOnlyList<SummaryRow> rows, string path)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        int n = rows.Count;
        for (int i = 0; i < n; i++)
        {
            if (rows[i].Ratio is not double q)
            {
                var failed = plot.Add.Text(rows[i].Errors.Length > 0 ? "failed: no ratio" : "no ratio", 0.02, n - 1 - i);
                failed.LabelFontColor = Colors.DarkRed;
                failed.LabelAlignment = Alignment.MiddleLeft;
                continue;
            }
            bars.Add(new Bar
            {
                Position = n - 1 - i,
                Value = Math.Log10(q),
                ValueBase = 0,
                FillColor = q <= 1 ? Colors.SeaGreen : Colors.IndianRed,
                Label = q.ToString(q < 10 ? "F2" : "F0", CultureInfo.InvariantCulture),
            });
        }
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        var one = plot.Add.VerticalLine(0);
        one.LineWidth = 2;
        one.Color = Colors.Black;

        double lo = Math.Min(bars.Select(b => b.Value).DefaultIfEmpty(0).Min(), -0.3);
        double hi = Math.Max(bars.Select(b => b.Value).DefaultIfEmpty(0).Max(), 0.3);
        var ticks = s_ticks.Where(t => Math.Log10(t) >= lo - 0.4 && Math.Log10(t) <= hi + 0.4).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), rows.Select(r => r.Benchmark).ToArray());
        plot.Axes.SetLimits(lo - 0.4, hi + 0.4, -0.7, n - 0.3);
        plot.Title("Kevlar / Linux time per operation (same QEMU, single-threaded TCG; log scale; black line: 1.0)");
        plot.XLabel("ratio of medians: left of 1.0 Kevlar is faster, right of it slower");
        plot.SavePng(path, 1200, 140 + 28 * n);
    }
}

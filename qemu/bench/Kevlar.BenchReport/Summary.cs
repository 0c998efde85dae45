// The per-benchmark summary: each kernel's median, min and max over the runs
// that gave a figure, and the ratio Kevlar/Linux of the medians (below 1.0:
// Kevlar takes less time). Benchmarks keep the order of their first run.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Kevlar.BenchReport;

/// <summary>One kernel's figures for one benchmark over every run, in ns per operation.</summary>
public sealed record Figures(int Runs, double Median, double Min, double Max)
{
    public static Figures? Of(IEnumerable<double> values)
    {
        double[] v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return null;
        double median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        return new Figures(v.Length, median, v[0], v[^1]);
    }
}

public sealed record SummaryRow(string Benchmark, long Iterations, Figures? Kevlar, Figures? Linux, string[] Errors)
{
    /// <summary>A kernel's cell: its median, FAILED when it failed in some run, or "-" when it was not run.</summary>
    public string Cell(string kernel, Figures? f)
        => Errors.Any(e => e.StartsWith(kernel + " ", StringComparison.Ordinal)) ? (f == null ? "FAILED" : Summary.Time(f.Median) + "*")
            : f == null ? "-" : Summary.Time(f.Median);

    public double? Ratio => Kevlar != null && Linux != null && Linux.Median > 0 ? Kevlar.Median / Linux.Median : null;
}

public static class Summary
{
    public static SummaryRow[] Of(IReadOnlyList<RunRow> runs)
    {
        var names = runs.Select(r => r.Benchmark).Distinct().ToArray();
        return names.Select(name =>
        {
            var mine = runs.Where(r => r.Benchmark == name).ToArray();
            Figures? Kernel(string k) => Figures.Of(mine.Where(r => r.Kernel == k && r.NsPerOp.HasValue).Select(r => r.NsPerOp!.Value));
            string[] errors = mine.Where(r => !r.NsPerOp.HasValue)
                .Select(r => $"{r.Kernel} run {r.Run}: {r.Error}").ToArray();
            return new SummaryRow(name, mine.Max(r => r.Iterations), Kernel("kevlar"), Kernel("linux"), errors);
        }).ToArray();
    }

    /// <summary>A time in ns with a unit that keeps three or four significant digits.</summary>
    public static string Time(double ns) => ns switch
    {
        < 1e3 => $"{ns:F1} ns",
        < 1e6 => $"{ns / 1e3:F2} us",
        < 1e9 => $"{ns / 1e6:F2} ms",
        _ => $"{ns / 1e9:F2} s",
    };

    private static string Spread(Figures? f) => f == null ? "-" : $"{Time(f.Min)} - {Time(f.Max)}";

    public static string Table(IReadOnlyList<SummaryRow> rows)
    {
        int runs = rows.Select(r => Math.Max(r.Kevlar?.Runs ?? 0, r.Linux?.Runs ?? 0)).DefaultIfEmpty(0).Max();
        var text = new StringBuilder();
        text.AppendLine($"per operation, median of {runs} run(s); ratio = Kevlar / Linux (below 1.00: Kevlar is faster); * failed in some runs, FAILED in all");
        string format = "{0,-30} {1,10} {2,12} {3,12} {4,7}  {5,-25} {6,-25}";
        text.AppendLine(string.Format(CultureInfo.InvariantCulture, format, "benchmark", "iterations", "kevlar", "linux", "ratio", "kevlar spread", "linux spread"));
        foreach (var r in rows)
        {
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, format, r.Benchmark, r.Iterations,
                r.Cell("kevlar", r.Kevlar), r.Cell("linux", r.Linux),
                r.Ratio is double q ? q.ToString("F2", CultureInfo.InvariantCulture) : "-", Spread(r.Kevlar), Spread(r.Linux)));
            foreach (string e in r.Errors) text.AppendLine($"    error: {e}");
        }
        return text.ToString();
    }

    public static string Csv(IReadOnlyList<SummaryRow> rows)
    {
        var text = new StringBuilder("benchmark,iterations,kevlar_median_ns,kevlar_min_ns,kevlar_max_ns,linux_median_ns,linux_min_ns,linux_max_ns,ratio,runs_kevlar,runs_linux,errors\n");
        static string N(double? v) => v is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : "";
        foreach (var r in rows)
            text.Append(CultureInfo.InvariantCulture, $"{r.Benchmark},{r.Iterations},{N(r.Kevlar?.Median)},{N(r.Kevlar?.Min)},{N(r.Kevlar?.Max)},")
                .Append(CultureInfo.InvariantCulture, $"{N(r.Linux?.Median)},{N(r.Linux?.Min)},{N(r.Linux?.Max)},{N(r.Ratio)},")
                .Append(CultureInfo.InvariantCulture, $"{r.Kevlar?.Runs ?? 0},{r.Linux?.Runs ?? 0},{string.Join("; ", r.Errors).Replace(',', ' ')}\n");
        return text.ToString();
    }
}

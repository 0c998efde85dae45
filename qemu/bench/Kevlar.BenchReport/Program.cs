// kevlar-bench-report RUNS.CSV OUTDIR: reads the raw runs qemu/bench.sh
// wrote (one row per kernel, run and benchmark), prints the table of medians,
// ratios and spreads, and writes OUTDIR/summary.csv and OUTDIR/ratios.png.
// Exits 1 when a benchmark failed on either kernel (its row says which).
using System;
using System.IO;

namespace Kevlar.BenchReport;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: Kevlar.BenchReport RUNS.CSV OUTDIR");
            return 2;
        }
        var runs = RunTable.Read(args[0]);
        var rows = Summary.Of(runs);
        Directory.CreateDirectory(args[1]);
        Console.Write(Summary.Table(rows));
        string csv = Path.Combine(args[1], "summary.csv"), png = Path.Combine(args[1], "ratios.png");
        File.WriteAllText(csv, Summary.Csv(rows));
        RatioChart.Save(rows, png);
        Console.WriteLine($"wrote {csv}, {png} (raw runs: {args[0]})");
        return Array.Exists(rows, r => r.Errors.Length > 0) ? 1 : 0;
    }
}

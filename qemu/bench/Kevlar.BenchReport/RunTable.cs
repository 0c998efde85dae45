// The raw runs file of qemu/bench.sh: a header line, then
//   kernel,run,benchmark,iterations,ns_per_op,error
// kernel is "kevlar" or "linux"; ns_per_op is empty when the benchmark
// failed, and error then says how (no commas: bench.sh replaces them).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Kevlar.BenchReport;

/// <summary>One benchmark's figure (or failure) from one run of one kernel.</summary>
public sealed record RunRow(string Kernel, int Run, string Benchmark, long Iterations, double? NsPerOp, string Error);

public static class RunTable
{
    public const string Header = "kernel,run,benchmark,iterations,ns_per_op,error";

    public static List<RunRow> Read(string path)
    {
        var rows = new List<RunRow>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line == Header) continue;
            string[] f = line.Split(',', 6);
            if (f.Length < 5) throw new FormatException($"{path}: bad row '{line}'");
            double? ns = f[4].Length == 0 ? null : double.Parse(f[4], CultureInfo.InvariantCulture);
            long iterations = f[3].Length == 0 ? 0 : long.Parse(f[3], CultureInfo.InvariantCulture);
            rows.Add(new RunRow(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), f[2], iterations, ns, f.Length > 5 ? f[5] : ""));
        }
        return rows;
    }
}

// ProfileReport: the text ./kevlar profile prints — where the CPUs were
// (idle, user, kernel), then the top functions by samples in the function
// itself (self) and in it or anything it called (total), as shares of the
// non-idle samples.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Kevlar.Profile;

public static class ProfileReport
{
    public static string Text(Sampler s, int top)
    {
        var text = new StringBuilder();
        int idle = s.Stacks.GetValueOrDefault("idle");
        int user = s.Stacks.Where(p => p.Key.StartsWith("user;", StringComparison.Ordinal)).Sum(p => p.Value);
        int busy = s.CpuSamples - idle;
        text.Append(CultureInfo.InvariantCulture, $"kevlar profile: {s.Samples} samples in {s.Elapsed.TotalSeconds:F1} s ({s.Samples / Math.Max(s.Elapsed.TotalSeconds, 0.001):F0}/s), {s.CpuSamples} CPU samples: ");
        text.Append(CultureInfo.InvariantCulture, $"idle {Share(idle, s.CpuSamples)}, user {Share(user, s.CpuSamples)}, kernel {Share(busy - user, s.CpuSamples)}\n");
        if (busy == 0) return text.ToString();
        var self = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (stack, count) in s.Stacks)
        {
            if (stack == "idle") continue;
            string[] frames = stack.Split(';');
            string mode = frames[0];
            string leaf = mode == "user" ? $"user    {frames[1]}: {frames[^1]}" : $"kernel  {frames[^1]}";
            self[leaf] = self.GetValueOrDefault(leaf) + count;
            if (mode != "kernel") continue;
            foreach (string f in frames.Skip(1).Distinct())
                total[f] = total.GetValueOrDefault(f) + count;
        }
        text.Append("top functions, self (share of non-idle samples):\n");
        foreach (var (name, count) in self.OrderByDescending(p => p.Value).Take(top))
            text.Append(CultureInfo.InvariantCulture, $"  {Share(count, busy),6}  {name}\n");
        text.Append("top kernel functions, total (in them or their callees):\n");
        foreach (var (name, count) in total.OrderByDescending(p => p.Value).Take(top))
            text.Append(CultureInfo.InvariantCulture, $"  {Share(count, busy),6}  {name}\n");
        return text.ToString();
    }

    private static string Share(int part, int whole) => whole == 0 ? "0%" : (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + "%";
}

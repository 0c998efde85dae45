// CpuSample: one vCPU's state in one sample, parsed from "info registers -a".
using System.Collections.Generic;
using System.Globalization;

namespace Kevlar.Profile;

public readonly record struct CpuSample(int Cpu, ulong Rip, ulong Rsp, ulong Rbp, int Cpl, bool Halted)
{
    /// <summary>Every CPU's block of an "info registers -a" answer ("CPU#N" then its registers).</summary>
    public static List<CpuSample> ParseAll(string text)
    {
        var samples = new List<CpuSample>();
        int cpu = -1;
        ulong rip = 0, rsp = 0, rbp = 0;
        int cpl = 0;
        bool halted = false, haveRip = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("CPU#", System.StringComparison.Ordinal))
            {
                if (cpu >= 0 && haveRip) samples.Add(new CpuSample(cpu, rip, rsp, rbp, cpl, halted));
                int end = line.IndexOfAny([' ', ':'], 4);
                cpu = int.Parse(end < 0 ? line[4..] : line[4..end], CultureInfo.InvariantCulture);
                haveRip = false;
                continue;
            }
            foreach (string token in line.Split(' ', System.StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = token.IndexOf('=');
                if (eq <= 0) continue;
                string name = token[..eq], value = token[(eq + 1)..];
                switch (name)
                {
                    case "RIP": rip = Hex(value); haveRip = true; break;
                    case "RSP": rsp = Hex(value); break;
                    case "RBP": rbp = Hex(value); break;
                    case "CPL": cpl = int.Parse(value, CultureInfo.InvariantCulture); break;
                    case "HLT": halted = value == "1"; break;
                }
            }
        }
        if (cpu >= 0 && haveRip) samples.Add(new CpuSample(cpu, rip, rsp, rbp, cpl, halted));
        return samples;
    }

    private static ulong Hex(string s) => ulong.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong v) ? v : 0;
}

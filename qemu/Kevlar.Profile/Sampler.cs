// Sampler: takes samples until QEMU goes. Each sample stops the VM ("stop",
// then "cont") and reads every vCPU's registers ("info registers -a"); a CPU
// in kernel code also gets 512 bytes of its stack read ("cpu N", "x /64gx
// RSP"), and the frame-pointer chain inside
// them (ilc keeps frame pointers) gives its callers. The host reads the state,
// so code that runs with interrupts off — all kernel code here — is sampled
// like any other (docs/decisions.md, "The profiler samples from the host").
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace Kevlar.Profile;

public sealed class Sampler
{
    private const int StackWords = 64;
    private const int MaxDepth = 24;
    private MonitorClient _monitor = null!;
    private readonly Symbols _symbols;
    private readonly TimeSpan _period;

    public Sampler(Symbols symbols, int hz)
    {
        _symbols = symbols;
        _period = TimeSpan.FromSeconds(1.0 / hz);
    }

    /// <summary>Folded stack ("kernel;Outer;Leaf", "user;prog;fn", "idle") to its sample count.</summary>
    public Dictionary<string, int> Stacks { get; } = new(StringComparer.Ordinal);
    public int Samples { get; private set; }
    public int CpuSamples { get; private set; }
    public TimeSpan Elapsed { get; private set; }

    /// <summary>Samples through <paramref name="monitor"/> until QEMU closes it.</summary>
    public void Run(MonitorClient monitor)
    {
        _monitor = monitor;
        var clock = Stopwatch.StartNew();
        TimeSpan next = TimeSpan.Zero;
        while (true)
        {
            // Stopped, each vCPU's RIP is where it is: running, TCG writes RIP back only at the
            // instructions that leave a translated block (an MMIO or port access, a helper call),
            // so "info registers" on a running vCPU names the last of those instead.
            if (_monitor.Run("stop") == null) break;
            bool sampled = Sample();
            if (_monitor.Run("cont") == null || !sampled) break;
            next += _period;
            TimeSpan wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            else next = clock.Elapsed; // behind: sample as fast as the monitor answers
        }
        Elapsed += clock.Elapsed;
    }

    // One sample of every CPU, the VM stopped; false when QEMU went away or no CPU runs in long mode yet.
    private bool Sample()
    {
        string? text = _monitor.Run("info registers -a");
        if (text == null) return false;
        List<CpuSample> cpus = CpuSample.ParseAll(text);
        if (cpus.Count == 0) return false;
        Samples++;
        foreach (CpuSample c in cpus)
        {
            string? stack = StackOf(c);
            if (stack == null) return false;
            CpuSamples++;
            Stacks[stack] = Stacks.GetValueOrDefault(stack) + 1;
        }
        return true;
    }

    // The folded stack of one CPU's sample; null when QEMU went away meanwhile.
    private string? StackOf(CpuSample c)
    {
        if (c.Halted) return "idle";
        if (c.Cpl == 3) return "user;" + _symbols.User(c.Rip);
        var frames = new List<string> { _symbols.Kernel(c.Rip) };
        if (_monitor.Run("cpu " + c.Cpu.ToString(CultureInfo.InvariantCulture)) == null) return null;
        string? dump = _monitor.Run("x /" + StackWords + "gx 0x" + c.Rsp.ToString("x"));
        if (dump == null) return null;
        ulong[] words = ParseWords(dump);
        ulong rbp = c.Rbp;
        for (int depth = 0; depth < MaxDepth; depth++)
        {
            if (rbp < c.Rsp || rbp + 16 > c.Rsp + (ulong)words.Length * 8 || (rbp & 7) != 0) break;
            int i = (int)((rbp - c.Rsp) / 8);
            ulong saved = words[i], ret = words[i + 1];
            if (ret == 0) break;
            frames.Add(_symbols.Kernel(ret));
            if (saved <= rbp) break;
            rbp = saved;
        }
        frames.Reverse();
        return "kernel;" + string.Join(";", frames);
    }

    // "ffffff8000120cd0: 0x0000000000000000 0x0000000000000001" lines, in address order.
    private static ulong[] ParseWords(string dump)
    {
        var words = new List<ulong>(StackWords);
        foreach (string line in dump.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            foreach (string t in line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (t.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong v))
                    words.Add(v);
        }
        return words.ToArray();
    }
}

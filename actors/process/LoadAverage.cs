// LoadAverage: the 1, 5 and 15 minute load averages as Linux computes them
// (kernel/sched/loadavg.c): every 5 seconds the number of threads that can
// run or are running is sampled and folded into three exponentially decaying
// averages in 11-bit fixed point (FIXED_1 = 2048; EXP_1 1884, EXP_5 2014,
// EXP_15 2037). The actor wakes itself through the timer service.
//
// State: _averages written only here (on CPU 0); readers on any CPU take a
// snapshot (each value is one aligned word). Thread states are read from the
// published process table without a message: a count a moment stale is what
// any sample is.
using System.Threading;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process;

public sealed class LoadAverage : Actor
{
    public override string DiagnosticName => "load average";

    public const int FSHIFT = 11;
    public const long FIXED_1 = 1 << FSHIFT;
    private const long EXP_1 = 1884, EXP_5 = 2014, EXP_15 = 2037;
    private const ulong Interval = 5_000_000_000 + 10_000_000; // LOAD_FREQ: 5 s and a tick

    private sealed class Tick : Message
    {
    }

    private readonly ProcessHost _host;
    private readonly Tick _tick = new Tick();
    private long _one, _five, _fifteen;

    public LoadAverage(ProcessHost host) { _host = host; }

    /// <summary>Starts sampling (once, after registration).</summary>
    public void Begin() => _host.Timers.SendAt(_host.Clock.MonotonicNanoseconds + Interval, this, _tick);

    /// <summary>The averages in FSHIFT fixed point: 1, 5 and 15 minutes.</summary>
    public long One => Volatile.Read(ref _one);
    public long Five => Volatile.Read(ref _five);
    public long Fifteen => Volatile.Read(ref _fifteen);

    /// <summary>Threads runnable or running now, and threads in all.</summary>
    public void Count(out int running, out int total)
    {
        running = 0;
        total = 0;
        UserProcess[] all = _host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess p = all[i];
            if (p == null || p.Exited) continue;
            UserThread[] threads = p.ThreadSnapshot;
            for (int j = 0; j < threads.Length; j++)
            {
                UserThread t = threads[j];
                if (t == null || t.HasExited) continue;
                total++;
                if (!t.IsBlocked && !p.Stopped) running++;
            }
        }
    }

    protected internal override void Receive(Message m)
    {
        if (m != _tick) return;
        Count(out int running, out _);
        long active = running * FIXED_1;
        Volatile.Write(ref _one, Fold(_one, EXP_1, active));
        Volatile.Write(ref _five, Fold(_five, EXP_5, active));
        Volatile.Write(ref _fifteen, Fold(_fifteen, EXP_15, active));
        Begin();
    }

    // calc_load: load * exp + active * (FIXED_1 - exp), rounded up while rising.
    private static long Fold(long load, long exp, long active)
    {
        long next = load * exp + active * (FIXED_1 - exp);
        if (active >= load) next += FIXED_1 - 1;
        return next / FIXED_1;
    }

    /// <summary>"%d.%02d" of a fixed-point load, as /proc/loadavg prints it (LOAD_INT, LOAD_FRAC).</summary>
    public static string Text(long load)
    {
        long rounded = load + FIXED_1 / 200;
        long whole = rounded >> FSHIFT, frac = ((rounded & (FIXED_1 - 1)) * 100) >> FSHIFT;
        return string.Concat(Kevlar.Runtime.Text.NumberText.Decimal(whole), frac < 10 ? ".0" : ".", Kevlar.Runtime.Text.NumberText.Decimal(frac));
    }
}

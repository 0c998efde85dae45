// CpuStats: a snapshot of one CPU's scheduler counters, for self-tests and
// benchmarks. Each counter is written by one party and read racily.
namespace Kevlar.Runtime.Scheduling;

public struct CpuStats
{
    /// <summary>Messages whose handler ran on this CPU.</summary>
    public long Delivered;

    /// <summary>Wakeups sent to this CPU (by any sender or the collector).</summary>
    public long WakeupsSent;

    /// <summary>Times this CPU halted in the idle protocol.</summary>
    public long Sleeps;

    /// <summary>Messages this CPU forwarded to an actor's new home.</summary>
    public long Forwarded;

    /// <summary>Times this CPU parked at a collector safepoint.</summary>
    public long Parks;
}

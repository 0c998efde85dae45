// Timestamp: a file time as Linux keeps it — seconds and nanoseconds since
// the Unix epoch (struct timespec64).
using System;
using Kevlar.Runtime.Devices;

namespace Kevlar.Vfs;

/// <summary>Seconds and nanoseconds (0..999,999,999) since the epoch.</summary>
public readonly struct Timestamp : IEquatable<Timestamp>, IComparable<Timestamp>
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    public Timestamp(long seconds, long nanoseconds)
    {
        Seconds = seconds;
        Nanoseconds = nanoseconds;
    }

    public long Seconds { get; }
    public long Nanoseconds { get; }

    /// <summary>CLOCK_REALTIME now: the clock's realtime at boot plus its monotonic time.</summary>
    public static Timestamp Now(ISystemClock clock)
    {
        ulong ns = clock.RealtimeAtBoot + clock.MonotonicNanoseconds;
        return new Timestamp((long)(ns / NanosecondsPerSecond), (long)(ns % NanosecondsPerSecond));
    }

    public bool Equals(Timestamp other) => Seconds == other.Seconds && Nanoseconds == other.Nanoseconds;
    public override bool Equals(object? obj) => obj is Timestamp t && Equals(t);
    public override int GetHashCode() => Seconds.GetHashCode() ^ Nanoseconds.GetHashCode();

    public int CompareTo(Timestamp other)
        => Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Nanoseconds.CompareTo(other.Nanoseconds);

    public static bool operator ==(Timestamp a, Timestamp b) => a.Equals(b);
    public static bool operator !=(Timestamp a, Timestamp b) => !a.Equals(b);
    public static bool operator <(Timestamp a, Timestamp b) => a.CompareTo(b) < 0;
    public static bool operator >(Timestamp a, Timestamp b) => a.CompareTo(b) > 0;
}

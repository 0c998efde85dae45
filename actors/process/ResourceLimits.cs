// ResourceLimits: a process's rlimits (getrlimit/setrlimit/prlimit64), with
// Linux's defaults for PID 1 and its rules: soft ≤ hard, only privilege raises
// a hard limit. Inherited by copy at fork.
namespace Kevlar.Process;

public sealed class ResourceLimits
{
    public const int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_RSS = 5,
        RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9, RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11,
        RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, Count = 16;
    public const ulong Infinity = ulong.MaxValue;
    /// <summary>Linux's fs.nr_open default: the most RLIMIT_NOFILE may be.</summary>
    public const ulong NrOpen = 1048576;

    private readonly ulong[] _soft = new ulong[Count];
    private readonly ulong[] _hard = new ulong[Count];

    public ResourceLimits()
    {
        for (int i = 0; i < Count; i++) { _soft[i] = Infinity; _hard[i] = Infinity; }
        Set(RLIMIT_STACK, 8UL << 20, Infinity);
        Set(RLIMIT_CORE, 0, Infinity);
        Set(RLIMIT_NPROC, 15_000, 15_000);
        Set(RLIMIT_NOFILE, 1024, 4096);
        Set(RLIMIT_MEMLOCK, 8UL << 20, 8UL << 20);
        Set(RLIMIT_SIGPENDING, 15_000, 15_000);
        Set(RLIMIT_MSGQUEUE, 819200, 819200);
        Set(RLIMIT_NICE, 0, 0);
        Set(RLIMIT_RTPRIO, 0, 0);
    }

    public ulong Soft(int resource) => _soft[resource];

    public ulong Hard(int resource) => _hard[resource];

    public void Set(int resource, ulong soft, ulong hard)
    {
        _soft[resource] = soft;
        _hard[resource] = hard;
    }

    /// <summary>Applies a new limit as setrlimit does: 0, -EINVAL (soft above hard, or
    /// NOFILE above nr_open) or -EPERM (raising the hard limit without privilege).</summary>
    public int TrySet(int resource, ulong soft, ulong hard, bool privileged)
    {
        if (soft > hard) return -Errno.EINVAL;
        if (resource == RLIMIT_NOFILE && hard > NrOpen) return -Errno.EPERM;
        if (hard > _hard[resource] && !privileged) return -Errno.EPERM;
        Set(resource, soft, hard);
        return 0;
    }

    public void CopyFrom(ResourceLimits other)
    {
        for (int i = 0; i < Count; i++) { _soft[i] = other._soft[i]; _hard[i] = other._hard[i]; }
    }
}

// ProcessLedger: the specification's record of the process scenarios — which
// process reaped which, with what wait status, and what kill returned. Reaps
// are checked as they happen (ReapOnce, WaitStatusOutcome); the end state at
// quiescence by ProcessWorld.
using Kevlar.Process;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Specs;

public sealed class ProcessLedger
{
    private readonly Dictionary<int, int> _reapedBy = new();
    private readonly Dictionary<int, int[]> _outcomes = new();

    /// <summary>Processes reaped so far.</summary>
    public int Reaped => _reapedBy.Count;

    /// <summary>The wait statuses <paramref name="pid"/> may be reaped with.</summary>
    public void ExpectStatus(int pid, params int[] statuses) => _outcomes[pid] = statuses;

    public bool IsReaped(int pid) => _reapedBy.ContainsKey(pid);

    /// <summary>wait4 in <paramref name="reaper"/> returned <paramref name="pid"/> with <paramref name="status"/>.</summary>
    public void OnReaped(int reaper, int pid, int status)
    {
        Specification.Assert(pid > 0, "Wait4Result: wait4 returned {0} in process {1}", pid, reaper);
        Specification.Assert(!_reapedBy.TryGetValue(pid, out int first),
            "ReapOnce: process {0} was reaped twice (by {1}, then by {2})", pid, first, reaper);
        _reapedBy[pid] = reaper;
        if (_outcomes.TryGetValue(pid, out int[]? allowed))
        {
            Specification.Assert(Array.IndexOf(allowed, status) >= 0,
                "WaitStatusOutcome: process {0} was reaped with status 0x{1:x}, neither its exit nor the signal's", pid, status);
        }
    }

    /// <summary>kill(2) from <paramref name="killer"/> returned <paramref name="result"/>.</summary>
    public void OnKill(int killer, long result) =>
        Specification.Assert(result == 0 || result == -Errno.ESRCH,
            "KillResult: kill in process {0} returned {1}, not 0 or -ESRCH", killer, result);
}

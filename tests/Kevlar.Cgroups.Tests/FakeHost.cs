// FakeHost: the kernel as the cgroup tree sees it, recording what the tree asks.
using Kevlar.Cgroups;

namespace Kevlar.Cgroups.Tests;

public sealed class FakeHost : ICgroupHost
{
    public readonly List<int> Killed = new();
    /// <summary>Each freeze ask: the pid and the generation (0: run again).</summary>
    public readonly List<(int Pid, int Generation)> Frozen = new();
    public readonly List<ICgroupWaiter> Woken = new();
    public readonly List<Action> Deferred = new();
    public int[] Root = [];

    public void Kill(CgroupMember member) => Killed.Add(member.Pid);
    public void Freeze(CgroupMember member, int generation) => Frozen.Add((member.Pid, generation));
    public readonly List<(int Tid, int? Generation)> ThreadsFrozen = new();
    public void FreezeThread(CgroupMember member, int tid, int? generation) => ThreadsFrozen.Add((tid, generation));
    public void Wake(ICgroupWaiter waiter) => Woken.Add(waiter);
    public void Defer(Action step) => Deferred.Add(step);
    public int[] RootPids() => Root;
    public Dictionary<int, int[]> Threads = new();
    public Dictionary<int, CgroupMember> Members = new();
    public int[] ThreadIds(int pid) => Threads.TryGetValue(pid, out int[]? tids) ? tids : [pid];
    public CgroupMember? MemberOf(int pid) => Members.TryGetValue(pid, out CgroupMember? m) ? m : null;
}

public sealed class FakeWaiter : ICgroupWaiter
{
    public bool Done { get; set; }
}

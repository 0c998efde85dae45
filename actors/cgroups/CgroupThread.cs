// CgroupThread: a thread placed apart from its process (thread mode: a write
// of its tid to the cgroup.threads of another cgroup in the same resource
// domain, or a thread made by such a thread). It charges one task where it
// is and makes that cgroup populated while it lives; it goes when the thread
// ends, when its process is moved whole (cgroup.procs) or reaped, or when the
// thread comes back to its process's cgroup.
//
// State: Group, Live and FreezeAsked are written only by the tree's owner.
namespace Kevlar.Cgroups;

public sealed class CgroupThread
{
    /// <summary>The thread's id (cgroup.threads lists it).</summary>
    public readonly int Tid;
    /// <summary>Its process.</summary>
    public readonly CgroupMember Process;

    public CgroupThread(int tid, CgroupMember process, Cgroup group)
    {
        Tid = tid;
        Process = process;
        Group = group;
    }

    /// <summary>Where it is (never its process's own cgroup).</summary>
    public Cgroup Group { get; internal set; }

    /// <summary>Counted in its cgroup's population: until its process exits.</summary>
    public bool Live { get; internal set; } = true;

    /// <summary>The generation of the freeze it was asked for and has not answered (counted in its
    /// cgroup's FreezePending), else 0.</summary>
    internal int FreezeAsked;
}

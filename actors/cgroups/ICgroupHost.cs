// ICgroupHost: what the cgroup tree asks of the kernel that owns it, without
// knowing processes or threads: signals for cgroup.kill, the stop requests of cgroup.freeze,
// the wakeup of a cgroup.events poller, and the processes the root cgroup
// holds (its members are not kept in a set). Called only on the tree's owner.
namespace Kevlar.Cgroups;

public interface ICgroupHost
{
    /// <summary>Sends SIGKILL to the member's process (cgroup.kill).</summary>
    void Kill(CgroupMember member);

    /// <summary>cgroup.freeze: asks the member's process to stop (a <paramref name="generation"/>
    /// above 0, which it answers with CgroupTree.FreezeAnswered once stopped) or to run again (0).
    /// A process not yet in the process table (a fork under way) is not told: it reads
    /// CgroupMember.FreezeWanted once it is.</summary>
    void Freeze(CgroupMember member, int generation);

    /// <summary>Thread <paramref name="tid"/> of the member's process is placed apart in a cgroup
    /// that asks it to stop (a <paramref name="generation"/> above 0, answered as Freeze's) or to
    /// run (0), or is back with its process (null): it follows that cgroup's freeze instead of
    /// its process's.</summary>
    void FreezeThread(CgroupMember member, int tid, int? generation);

    /// <summary>Wakes a poller of a cgroup.events file: its cgroup's events changed.</summary>
    void Wake(ICgroupWaiter waiter);

    /// <summary>The live processes in the root cgroup (their Group is null), pids ascending.</summary>
    int[] RootPids();

    /// <summary>Runs <paramref name="step"/> later, as a step of its own on the owner (only the
    /// seeded two-step migration uses it).</summary>
    void Defer(System.Action step);

    /// <summary>The thread ids of the process <paramref name="pid"/> (cgroup.threads), or none.</summary>
    int[] ThreadIds(int pid);

    /// <summary>The member of the live process <paramref name="pid"/> if it has one yet (a process
    /// of the root cgroup may not), else null.</summary>
    CgroupMember? MemberOf(int pid);
}

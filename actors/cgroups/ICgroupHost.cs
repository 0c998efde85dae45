// ICgroupHost: what the cgroup tree asks of the kernel that owns it, without
// knowing processes or threads: signals for cgroup.kill and cgroup.freeze,
// the wakeup of a cgroup.events poller, and the processes the root cgroup
// holds (its members are not kept in a set). Called only on the tree's owner.
namespace Kevlar.Cgroups;

public interface ICgroupHost
{
    /// <summary>Sends SIGKILL to the member's process (cgroup.kill).</summary>
    void Kill(CgroupMember member);

    /// <summary>Stops (<paramref name="frozen"/>) or continues the member's process (cgroup.freeze).</summary>
    void Freeze(CgroupMember member, bool frozen);

    /// <summary>Thread <paramref name="tid"/> of the member's process is placed apart in a cgroup
    /// frozen or not (<paramref name="frozen"/>), or is back with its process (null): it follows
    /// that cgroup's freeze instead of its process's.</summary>
    void FreezeThread(CgroupMember member, int tid, bool? frozen);

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

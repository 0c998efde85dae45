// CgroupMember: a process as the cgroup tree sees it — its pid, the cgroup it
// belongs to, whether it has left for good (exited), and the tasks (threads)
// it charges and where. Made with the process (its Group null: the root
// cgroup) or at its second thread, and kept by it.
//
// State: Group, Left, Tasks and ChargedTo are written only by the tree's owner (the actor that
// owns the CgroupTree), in the steps that move, charge or end the member; a
// process's own CPU reads Group without a message only to decide whether a
// fork may skip the owner (the root cgroup has no limit), which tolerates a
// stale value (docs/decisions.md "cgroups").
using System.Threading;

namespace Kevlar.Cgroups;

public sealed class CgroupMember
{
    /// <summary>The process id (cgroup.procs lists it).</summary>
    public readonly int Pid;
    private Cgroup? _group;
    private int _left;

    public CgroupMember(int pid) { Pid = pid; }

    /// <summary>The member of a process that exits before the tree ever knew it: it has left
    /// already, so a move that finds it later fails (-ESRCH) without the exit telling the owner.
    /// Valid only if it is published before anyone else makes the process's member.</summary>
    public static CgroupMember Gone(int pid)
    {
        var m = new CgroupMember(pid);
        m._left = 1;
        m.IsGone = true;
        return m;
    }

    /// <summary>Made by Gone: the tree never knew it, and it charges nothing.</summary>
    public bool IsGone { get; private set; }

    /// <summary>The cgroup it belongs to; null for the root cgroup, whose members are not listed
    /// in a set (every process starts there). Written only by the tree's owner.</summary>
    public Cgroup? Group
    {
        get => Volatile.Read(ref _group);
        internal set => Volatile.Write(ref _group, value);
    }

    /// <summary>Its exit reached the tree: it belongs nowhere and can never be moved again.</summary>
    public bool Left
    {
        get => Volatile.Read(ref _left) != 0;
        internal set => Volatile.Write(ref _left, value ? 1 : 0);
    }

    /// <summary>Tasks it charges to the pids controller: its live threads while it runs, 1 (the
    /// zombie leader) once it has exited, until it is reaped. Written only by the tree's owner.</summary>
    public int Tasks { get; internal set; } = 1;

    /// <summary>The cgroup its Tasks are charged to: its group while it lives (null in the root),
    /// the group it exited from until it is reaped (a zombie still holds its pid, as on Linux),
    /// then null. Written only by the tree's owner.</summary>
    public Cgroup? ChargedTo { get; internal set; }
}

// CgroupMember: a process as the cgroup tree sees it — its pid, the cgroup it
// belongs to, whether it has left for good (exited), the tasks (threads) it
// charges and where, and its threads placed in other cgroups (thread mode). Made with the process (its Group null: the root
// cgroup) or at its second thread, and kept by it.
//
// State: Group, Left, Tasks and ChargedTo are written only by the tree's owner (the actor that
// owns the CgroupTree), in the steps that move, charge or end the member; a
// process's own CPU reads Group without a message only to decide whether a
// fork may skip the owner (the root cgroup has no limit), which tolerates a
// stale value (docs/decisions.md "cgroups").
using System.Threading;
using Kevlar.Runtime.Threading;

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

    /// <summary>Tasks it has for the pids controller: its live threads while it runs, 1 (the
    /// zombie leader) once it has exited, until it is reaped; those placed apart are charged
    /// where they are (HomeTasks the rest). Written only by the tree's owner.</summary>
    public int Tasks { get; internal set; } = 1;

    /// <summary>Its threads placed apart (thread mode), an array replaced whole by the tree's
    /// owner, so any CPU may read it (a thread's /proc cgroup file); empty almost always.</summary>
    public CgroupThread[] Placed
    {
        get => Volatile.Read(ref _placed);
        internal set
        {
            Volatile.Write(ref _placed, value);
            if (value.Length > 0) Volatile.Write(ref _everPlaced, 1);
        }
    }
    private CgroupThread[] _placed = s_none;
    private static readonly CgroupThread[] s_none = new CgroupThread[0];
    private int _everPlaced;

    /// <summary>A thread of it was ever placed apart: from then on its threads' ends are told
    /// one by one (which one ends matters), and its forks ask the tree. Never cleared.</summary>
    public bool EverPlaced => Volatile.Read(ref _everPlaced) != 0;

    /// <summary>The placement of thread <paramref name="tid"/>, or null (it is with its process).</summary>
    public CgroupThread? PlacementOf(int tid)
    {
        CgroupThread[] placed = Placed;
        for (int i = 0; i < placed.Length; i++) if (placed[i].Tid == tid) return placed[i];
        return null;
    }

    /// <summary>Tasks charged where the member is: its threads not placed apart.</summary>
    public int HomeTasks => Tasks - Placed.Length;

    /// <summary>It counts in its cgroup's population: it lives and has a thread there.</summary>
    internal bool HomeCounted;

    /// <summary>The cgroup its Tasks are charged to: its group while it lives (null in the root),
    /// the group it exited from until it is reaped (a zombie still holds its pid, as on Linux),
    /// then null. Written only by the tree's owner.</summary>
    public Cgroup? ChargedTo { get; internal set; }

    /// <summary>The generation of the freeze its process was asked for and has not answered
    /// (counted in its cgroup's FreezePending), else 0. Written only by the tree's owner.</summary>
    internal int FreezeAsked;

    [Shared] private int _freezeWanted;

    /// <summary>What the tree last asked of its process: a freeze generation (stopped; the process
    /// answers with it), or 0 (running). Written by the tree's owner before it looks the process
    /// up; a forked child, published before it reads this, follows it (docs/decisions.md "cgroups").</summary>
    public int FreezeWanted
    {
        get => Atomic.Load(ref _freezeWanted);
        internal set => Atomic.Exchange(ref _freezeWanted, value); // a full fence: then the process table is read
    }
}

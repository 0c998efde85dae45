// Cgroup: one node of the cgroup v2 tree — its place in the tree, the
// processes it holds (and threads placed in it apart from their process, in
// thread mode), the pids controller's counters and limit, and the limits and
// state its core files show. A threaded cgroup (cgroup.type "threaded") belongs
// to the resource domain of its nearest non-threaded ancestor (Domain), the
// thread root, inside which a process's threads may be spread out.
//
// State: every field is owned by the CgroupTree's owner and changed only by
// CgroupTree's methods, in one step each.
// Invariants (checked by CgroupTree.Check, and by the same names in coyote-tests):
//   MemberSetLive: every process in Members has not left, and its Group is this cgroup.
//   PidsCounted: PidsCurrent is the sum of the tasks charged to the subtree: each member's
//                threads not placed elsewhere (HomeTasks), live or exited and not yet reaped
//                (ExitedTasks), and one per thread placed here.
//   Population: Population counts, in the subtree, the live members with a thread at home
//               and the live threads placed apart.
//   FreezeCounted: FreezePending counts the members and placed threads here asked to freeze
//                  that have not answered; Frozen is Freezing with none pending here and every
//                  child Frozen (CgroupTree.Freeze.cs).
using System.Collections.Generic;

namespace Kevlar.Cgroups;

public sealed class Cgroup
{
    /// <summary>The limit value that means "max" (no limit).</summary>
    public const long NoLimit = long.MaxValue;

    public readonly string Name;
    public readonly Cgroup? Parent;
    /// <summary>0 for the root.</summary>
    public readonly int Level;
    public readonly List<Cgroup> Children = new List<Cgroup>();
    /// <summary>The processes in this cgroup itself (not its descendants); the root keeps none.</summary>
    public readonly List<CgroupMember> Members = new List<CgroupMember>();
    /// <summary>Threads placed here apart from their process (cgroup.threads, thread mode).</summary>
    public readonly List<CgroupThread> Placed = new List<CgroupThread>();
    /// <summary>cgroup.type "threaded" was written: for good.</summary>
    public bool Threaded;

    /// <summary>Live member processes in the subtree: cgroup.events' populated is Population &gt; 0.</summary>
    public int Population;
    /// <summary>pids.current: tasks charged to the subtree.</summary>
    public long PidsCurrent;
    /// <summary>Tasks still charged here by members that exited and are not yet reaped.</summary>
    public long ExitedTasks;
    /// <summary>pids.peak: the highest PidsCurrent seen.</summary>
    public long PidsPeak;
    /// <summary>pids.max (NoLimit for "max"); enforced only while the parent's subtree_control has pids.</summary>
    public long PidsMax = NoLimit;
    /// <summary>pids.events' max: forks refused because this cgroup's limit was hit.</summary>
    public long PidsEventsMax;
    /// <summary>cgroup.subtree_control holds pids: the children have the pids controller.</summary>
    public bool SubtreePids;
    /// <summary>cgroup.max.descendants and cgroup.max.depth (int.MaxValue for "max").</summary>
    public int MaxDescendants = int.MaxValue;
    public int MaxDepth = int.MaxValue;
    /// <summary>cgroup.freeze as written here.</summary>
    public bool FreezeSet;
    /// <summary>Its subtree must be frozen: by this cgroup's freeze or an ancestor's.</summary>
    public bool Freezing;
    /// <summary>cgroup.events' frozen: Freezing, and every process and thread in the subtree has
    /// answered that it stopped (an empty cgroup is frozen at once).</summary>
    public bool Frozen;
    /// <summary>Members and placed threads here asked to freeze that have not answered yet.</summary>
    public int FreezePending;
    /// <summary>Removed by rmdir: its files answer -ENODEV.</summary>
    public bool Removed;
    /// <summary>How many times cgroup.events changed: an open file polls for a change from its count.</summary>
    public int EventsVersion;
    /// <summary>Pollers of cgroup.events, woken once at the next change.</summary>
    internal readonly List<ICgroupWaiter> Waiters = new List<ICgroupWaiter>();

    internal Cgroup(string name, Cgroup? parent)
    {
        Name = name;
        Parent = parent;
        Level = parent == null ? 0 : parent.Level + 1;
    }

    public bool IsRoot => Parent == null;

    /// <summary>The pids controller is enabled here (the parent's subtree_control has it).</summary>
    public bool HasPids => Parent != null && Parent.SubtreePids;

    /// <summary>cgroup.events' populated.</summary>
    public bool Populated => Population > 0;

    /// <summary>Its resource domain (Linux's dom_cgrp): itself, or for a threaded cgroup the
    /// nearest ancestor that is not threaded.</summary>
    public Cgroup Domain
    {
        get
        {
            Cgroup g = this;
            while (g.Threaded) g = g.Parent!;
            return g;
        }
    }

    /// <summary>Linux's cgroup_is_thread_root: a domain with threaded children, or with tasks of
    /// its own and a threaded controller (pids is one) enabled for its children. Its domain
    /// children can hold no process ("domain invalid"); cgroup.type reads "domain threaded".</summary>
    public bool IsThreadRoot
    {
        get
        {
            if (Threaded) return false;
            for (int i = 0; i < Children.Count; i++) if (Children[i].Threaded) return true;
            return Parent != null && (Members.Count > 0 || Placed.Count > 0) && SubtreePids;
        }
    }

    /// <summary>Linux's cgroup_is_valid_domain: not threaded, and no ancestor below the root is
    /// a thread root or threaded.</summary>
    public bool IsValidDomain
    {
        get
        {
            if (Threaded) return false;
            for (Cgroup? a = Parent; a != null && a.Parent != null; a = a.Parent)
                if (a.IsThreadRoot || a.Threaded) return false;
            return true;
        }
    }

    /// <summary>Linux's cgroup_can_be_thread_root with only threaded controllers: the root, or a
    /// domain none of whose domain children is populated.</summary>
    public bool CanBeThreadRoot
    {
        get
        {
            if (Parent == null) return true;
            if (Threaded) return false;
            for (int i = 0; i < Children.Count; i++) if (Children[i].Populated && !Children[i].Threaded) return false;
            return true;
        }
    }

    /// <summary>The path from the root ("/", "/a/b"), as /proc/pid/cgroup shows it.</summary>
    public string Path
    {
        get
        {
            if (Parent == null) return "/";
            string up = Parent.Path;
            return up == "/" ? string.Concat("/", Name) : string.Concat(up, "/", Name);
        }
    }

    /// <summary>The child named <paramref name="name"/>, or null.</summary>
    public Cgroup? Child(string name)
    {
        for (int i = 0; i < Children.Count; i++) if (Children[i].Name == name) return Children[i];
        return null;
    }

    /// <summary>Cgroups below this one (cgroup.stat's nr_descendants).</summary>
    public int Descendants
    {
        get
        {
            int n = 0;
            for (int i = 0; i < Children.Count; i++) n += 1 + Children[i].Descendants;
            return n;
        }
    }
}

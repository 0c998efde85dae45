// CgroupTree: the cgroup v2 hierarchy with the pids controller — every
// change to it is one method here, run by the one actor that owns the tree
// (the VfsActor, with the cgroup2 filesystem that shows it; docs/decisions.md
// "cgroups"). Each method is one step: nothing another CPU does can see half
// of it. That is the whole of the protocol against the historical races:
//   - Fork checks every ancestor's pids.max and charges them in the same step
//     (a check in one step and a charge in another lets two forks pass one
//     free slot);
//   - Migrate moves a process's membership and its charges in one step (two
//     steps let a fork or a pids.current reader see it in neither cgroup);
//   - Exit ends membership in one step, from the group the tree holds now
//     (not one read earlier on the exiting CPU, which a migration may have
//     changed since); the zombie's tasks stay charged there until Reap.
//   - Threads charge their process's member: a thread made in a non-root
//     cgroup is checked and charged in one step (AddThread), like a fork,
//     and its end arrives as a delta (AddTasks), exact in any order. In the
//     root nothing is asked or posted; a move out of the root counts the
//     process's threads (a thread made on another CPU during that very move
//     may be missed: the process then charges one task fewer).
// Members of the root cgroup are not kept in a set: a fork there charges
// nothing (the root has no limit), so it needs no step here at all.
//
// State: owned by the tree's owner; Host is called only from its steps.
// Waits on: nothing.
using System.Collections.Generic;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Cgroups;

public sealed partial class CgroupTree
{
    /// <summary>The highest pids.max accepted (PID_MAX_LIMIT); larger values are -EINVAL.</summary>
    public const long PidsMaxLimit = 4194304;

    public readonly Cgroup Root = new Cgroup(string.Empty, null);
    public ICgroupHost Host;

    public CgroupTree(ICgroupHost host) { Host = host; }

    /// <summary>Cgroups in the tree, the root included (/proc/cgroups' num_cgroups).</summary>
    public int Count => 1 + Root.Descendants;

    /// <summary>The cgroup <paramref name="m"/> is in (the root for null).</summary>
    public Cgroup GroupOf(CgroupMember m) => m.Group ?? Root;

    /// <summary>mkdir: a new child of <paramref name="parent"/>: 0, -EAGAIN past an ancestor's
    /// cgroup.max.descendants or cgroup.max.depth, -EEXIST, -ENODEV for a removed parent.</summary>
    public int Mkdir(Cgroup parent, string name, out Cgroup? made)
    {
        made = null;
        if (parent.Removed) return -Errno.ENODEV;
        if (parent.Child(name) != null) return -Errno.EEXIST;
        int level = 1;
        for (Cgroup? c = parent; c != null; c = c.Parent, level++)
            if (c.Descendants >= c.MaxDescendants || level > c.MaxDepth) return -Errno.EAGAIN;
        made = new Cgroup(name, parent);
        made.FreezeSet = false;
        made.Frozen = parent.Frozen;
        parent.Children.Add(made);
        return 0;
    }

    /// <summary>rmdir: 0, or -EBUSY while it holds processes or children (or is the root).</summary>
    public int Rmdir(Cgroup g)
    {
        if (g.IsRoot || g.Populated || g.Children.Count > 0) return -Errno.EBUSY;
        g.Parent!.Children.Remove(g);
        g.Removed = true;
        WakeAll(g);
        return 0;
    }

    /// <summary>A fork by <paramref name="parent"/>: checks pids.max of its cgroup and every
    /// ancestor and, in the same step, charges them and makes <paramref name="child"/> a member
    /// of the parent's cgroup. 0, or -EAGAIN (pids.events' max of the cgroup whose limit was hit
    /// counts it) — also when the parent has left.</summary>
    public int Fork(CgroupMember parent, CgroupMember child)
    {
        int r = MayFork(parent);
        if (r != 0) return r;
        Join(child, GroupOf(parent));
        return 0;
    }

    /// <summary>The check half of Fork alone: 0 or -EAGAIN (counting the event). Correct callers
    /// use Fork; CgroupCheckThenCharge calls this and Join in two steps.</summary>
    public int MayFork(CgroupMember parent)
    {
        if (parent.Left) return -Errno.EAGAIN;
        for (Cgroup? c = GroupOf(parent); c != null; c = c.Parent)
        {
            if (c.HasPids && c.PidsCurrent + 1 > c.PidsMax)
            {
                c.PidsEventsMax++;
                return -Errno.EAGAIN;
            }
        }
        return 0;
    }

    /// <summary>Makes <paramref name="m"/> (not yet anywhere) a member of <paramref name="g"/>, charging its tasks.</summary>
    public void Join(CgroupMember m, Cgroup g)
    {
        m.Group = g.IsRoot ? null : g;
        if (g.IsRoot) return;
        g.Members.Add(m);
        m.ChargedTo = g;
        Charge(g, m.Tasks, 1);
    }

    /// <summary>A thread of <paramref name="m"/>'s process is about to be made: checks pids.max up
    /// the tree and charges it in the same step (as Fork): 0 or -EAGAIN.</summary>
    public int AddThread(CgroupMember m)
    {
        int r = MayFork(m);
        if (r != 0) return r;
        AddTasks(m, 1);
        return 0;
    }

    /// <summary><paramref name="delta"/> threads of <paramref name="m"/>'s process were made
    /// (without a check: the process was in the root cgroup) or ended: charged or uncharged
    /// where its tasks are charged. Deltas may arrive in any order; their sum is exact.</summary>
    public void AddTasks(CgroupMember m, int delta)
    {
        m.Tasks += delta;
        Cgroup? g = m.ChargedTo;
        if (g == null) return;
        if (m.Left) g.ExitedTasks += delta;
        Charge(g, delta, 0);
    }

    /// <summary>The exited process was reaped (or a charged fork failed): its last tasks are
    /// uncharged. An exit not yet seen here is done first. Idempotent.</summary>
    public void Reap(CgroupMember m)
    {
        if (!m.Left) Exit(m);
        Cgroup? g = m.ChargedTo;
        if (g == null) return;
        m.ChargedTo = null;
        g.ExitedTasks -= m.Tasks;
        Charge(g, -m.Tasks, 0);
    }

    /// <summary>The process has exited: it leaves its cgroup (cgroup.procs, populated) in this one
    /// step; its tasks stay charged until Reap, as a zombie's pid is on Linux. Later moves of it
    /// fail (-ESRCH). Idempotent.</summary>
    public void Exit(CgroupMember m) => ExitFrom(m, m.Group);

    /// <summary>Exit, told the group the exiting CPU read: correct code ignores it and uses the
    /// group the tree holds now; CgroupExitFromStaleGroup (seeded bug 1) trusts it.</summary>
    public void ExitFrom(CgroupMember m, Cgroup? seen)
    {
        if (m.Left) return;
        m.Left = true;
        Cgroup? g = SeededBugs.CgroupExitFromStaleGroup ? seen : m.Group;
        if (g == null || !g.Members.Remove(m)) return;
        if (m.ChargedTo == g) g.ExitedTasks += m.Tasks;
        Charge(g, 0, -1);
    }

    /// <summary>Writing a pid to cgroup.procs: moves <paramref name="m"/> to <paramref name="to"/>
    /// with its charges, in one step (the limit does not apply to a move, as on Linux). 0;
    /// -ESRCH when it has left; -ENODEV into a removed cgroup; Linux's cgroup_migrate_vet_dst:
    /// -EOPNOTSUPP into a cgroup below a thread root, and -EBUSY into one whose subtree_control
    /// is not empty while a child is populated (with only the threaded pids controller, an
    /// empty-childed cgroup takes the process and becomes a thread root).</summary>
    public int Migrate(CgroupMember m, Cgroup to)
    {
        int r = MayMigrate(m, to);
        if (r != 0) return r;
        Cgroup from = GroupOf(m);
        if (from == to) return 0;
        if (from.IsRoot)
        {
            // In the root nothing counts a process's threads: a move out of it counts them now.
            int threads = Host.ThreadIds(m.Pid).Length;
            if (threads > 0) m.Tasks = threads;
        }
        MigrateOut(m);
        if (SeededBugs.CgroupTwoStepMigration)
        {
            Host.Defer(() => MigrateIn(m, to)); // Seeded bug 3: the join is a second step.
            return 0;
        }
        MigrateIn(m, to);
        return 0;
    }

    /// <summary>The checks of Migrate: 0 or -errno.</summary>
    public int MayMigrate(CgroupMember m, Cgroup to)
    {
        if (to.Removed) return -Errno.ENODEV;
        if (m.Left) return -Errno.ESRCH;
        if (to.IsRoot) return 0;
        if (!to.IsValidDomain) return -Errno.EOPNOTSUPP;
        if (to.CanBeThreadRoot) return 0;
        if (to.SubtreePids) return -Errno.EBUSY;
        return 0;
    }

    /// <summary>The first half of a move: leaves the cgroup, uncharging it (the member's Group
    /// is the root until MigrateIn). Correct callers use Migrate; CgroupTwoStepMigration
    /// (seeded bug 3) runs the halves as two steps.</summary>
    public void MigrateOut(CgroupMember m)
    {
        Cgroup? g = m.Group;
        m.Group = null;
        if (g == null) return;
        g.Members.Remove(m);
        m.ChargedTo = null;
        Charge(g, -m.Tasks, -1);
        if (g.Frozen) Host.Freeze(m, false);
    }

    /// <summary>The second half of a move: joins <paramref name="to"/> unless the member left meanwhile.</summary>
    public void MigrateIn(CgroupMember m, Cgroup to)
    {
        if (m.Left || to.Removed) return;
        Join(m, to);
        if (to.Frozen) Host.Freeze(m, true);
    }

    // Adds tasks and processes to g and every ancestor below the root; a population that
    // becomes or stops being zero changes that cgroup's events.
    private void Charge(Cgroup g, int tasks, int processes)
    {
        for (Cgroup? c = g; c != null && !c.IsRoot; c = c.Parent)
        {
            c.PidsCurrent += tasks;
            if (c.PidsCurrent > c.PidsPeak) c.PidsPeak = c.PidsCurrent;
            bool was = c.Populated;
            c.Population += processes;
            Kassert.True(c.Population >= 0 && c.PidsCurrent >= 0, "PidsCounted: a cgroup's count went below zero");
            if (was != c.Populated) EventsChanged(c);
        }
    }

    /// <summary>cgroup.events of <paramref name="g"/> changed: its pollers are woken (once each).</summary>
    public void EventsChanged(Cgroup g)
    {
        g.EventsVersion++;
        if (SeededBugs.CgroupEventsSkipPoll) return; // Seeded bug 9: the change wakes nobody.
        WakeAll(g);
    }

    private void WakeAll(Cgroup g)
    {
        List<ICgroupWaiter> waiters = g.Waiters;
        for (int i = 0; i < waiters.Count; i++) if (!waiters[i].Done) Host.Wake(waiters[i]);
        waiters.Clear();
    }

    /// <summary>poll of cgroup.events: true when the events changed since <paramref name="seen"/>;
    /// otherwise, with a waiter, registers it for the next change.</summary>
    public bool PollEvents(Cgroup g, int seen, ICgroupWaiter? waiter)
    {
        if (g.EventsVersion != seen || g.Removed) return true;
        if (waiter == null) return false;
        for (int i = g.Waiters.Count - 1; i >= 0; i--) if (g.Waiters[i].Done) g.Waiters.RemoveAt(i);
        g.Waiters.Add(waiter);
        return false;
    }
}

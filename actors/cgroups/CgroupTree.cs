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
//   - Thread mode: a thread placed apart from its process (MoveThread, or made
//     by a placed thread) charges one task where it is; its end must name it
//     (ThreadGone), and a move of its whole process (Migrate) or the reap
//     brings its charge home or ends it, each in one step.
//   - Freeze asks and counts answers, never waits for them (CgroupTree.Freeze.cs):
//     a tree that held its members' requests until they answered would wait
//     for members waiting for it (seeded bug 2).
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

    /// <summary>The cgroup thread <paramref name="tid"/> of <paramref name="m"/>'s process is in:
    /// where it is placed, else its process's.</summary>
    public Cgroup GroupOf(CgroupMember m, int tid) => m.PlacementOf(tid)?.Group ?? GroupOf(m);

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
        made.Freezing = parent.Freezing;
        made.Frozen = parent.Freezing; // empty: frozen at once
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
        UpdateFrozen(g.Parent); // an ancestor's freeze no longer waits for it
        return 0;
    }

    /// <summary>A fork by <paramref name="parent"/>: checks pids.max of its cgroup and every
    /// ancestor and, in the same step, charges them and makes <paramref name="child"/> a member
    /// of the parent's cgroup. 0, or -EAGAIN (pids.events' max of the cgroup whose limit was hit
    /// counts it) — also when the parent has left.</summary>
    /// <param name="forker">The forking thread's id: the child starts in that thread's cgroup.</param>
    public int Fork(CgroupMember parent, CgroupMember child, int forker = 0)
    {
        Cgroup at = GroupOf(parent, forker);
        int r = MayFork(parent, at);
        if (r != 0) return r;
        Join(child, at);
        FreezeOnFork(child, at);
        return 0;
    }

    /// <summary>The check half of Fork alone: 0 or -EAGAIN (counting the event). Correct callers
    /// use Fork; CgroupCheckThenCharge calls this and Join in two steps.</summary>
    public int MayFork(CgroupMember parent) => MayFork(parent, GroupOf(parent));

    // pids.max of <paramref name="at"/> and up, for a new task there.
    private int MayFork(CgroupMember parent, Cgroup at)
    {
        if (parent.Left) return -Errno.EAGAIN;
        for (Cgroup? c = at; c != null; c = c.Parent)
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
        m.HomeCounted = true;
        Charge(g, m.Tasks, 1);
    }

    /// <summary>A thread of <paramref name="m"/>'s process is about to be made by thread
    /// <paramref name="creator"/>, with id <paramref name="tid"/>: checks pids.max up the tree from
    /// the creator's cgroup and charges it there in the same step (as Fork): 0 or -EAGAIN. A
    /// creator placed apart has the new thread placed with it.</summary>
    public int AddThread(CgroupMember m, int creator = 0, int tid = 0)
    {
        CgroupThread? placed = m.PlacementOf(creator);
        if (placed == null)
        {
            int r = MayFork(m);
            if (r != 0) return r;
            AddTasks(m, 1);
            return 0;
        }
        int e = MayFork(m, placed.Group);
        if (e != 0) return e;
        m.Tasks++;
        Place(m, new CgroupThread(tid, m, placed.Group));
        return 0;
    }

    /// <summary>Thread <paramref name="tid"/> of <paramref name="m"/>'s process ended (told by
    /// name once the process has had a thread placed apart): uncharged where it is.</summary>
    public void ThreadGone(CgroupMember m, int tid)
    {
        CgroupThread? placed = m.PlacementOf(tid);
        if (placed == null)
        {
            AddTasks(m, -1);
            return;
        }
        Unplace(placed);
        m.Tasks--;
        Recount(m);
    }

    /// <summary>A write of <paramref name="tid"/> to cgroup.threads of <paramref name="to"/>: the
    /// thread moves alone, within its resource domain (-EOPNOTSUPP across domains; the checks of
    /// Linux's cgroup_migrate_vet_dst; -ESRCH when its process has left, -ENODEV into a removed
    /// cgroup), its charge with it, in one step.</summary>
    public int MoveThread(CgroupMember m, int tid, Cgroup to)
    {
        if (to.Removed) return -Errno.ENODEV;
        if (m.Left) return -Errno.ESRCH;
        Cgroup from = GroupOf(m, tid);
        if (from.Domain != to.Domain) return -Errno.EOPNOTSUPP;
        int r = VetDestination(to);
        if (r != 0 || from == to) return r;
        CgroupThread? placed = m.PlacementOf(tid);
        if (placed != null) Unplace(placed);
        else if (m.ChargedTo != null && !SeededBugs.CgroupThreadMoveKeepsCharge) Charge(m.ChargedTo, -1, 0); // it leaves its process's cgroup
        if (to == GroupOf(m))
        {
            if (m.ChargedTo != null) Charge(m.ChargedTo, 1, 0);     // home again
            if (placed != null) Host.FreezeThread(m, tid, null);
        }
        else
        {
            Place(m, new CgroupThread(tid, m, to));
        }
        Recount(m);
        return 0;
    }

    // A placement joins its cgroup and its member's list, charging one task there; the thread
    // follows that cgroup's freeze from now (told even when made by a placed thread, whose own
    // freeze it starts with: that may be about to change).
    private void Place(CgroupMember m, CgroupThread t)
    {
        t.Group.Placed.Add(t);
        AskThread(t);
        CgroupThread[] old = m.Placed;
        var next = new CgroupThread[old.Length + 1];
        for (int i = 0; i < old.Length; i++) next[i] = old[i];
        next[old.Length] = t;
        m.Placed = next;
        Charge(t.Group, 1, 1);
        Recount(m);
    }

    // A placement goes with its charge (and its population, while it counts).
    private void Unplace(CgroupThread t)
    {
        CgroupMember m = t.Process;
        t.Group.Placed.Remove(t);
        CgroupThread[] old = m.Placed;
        var next = new CgroupThread[old.Length - 1];
        for (int i = 0, j = 0; i < old.Length; i++) if (old[i] != t) next[j++] = old[i];
        m.Placed = next;
        Charge(t.Group, -1, t.Live ? -1 : 0);
        t.Live = false;
        WithdrawAsk(t);
        UpdateFrozen(t.Group);
    }

    // A move of the whole process: its placed threads come home (charged there again) first.
    private void GatherThreads(CgroupMember m)
    {
        CgroupThread[] placed = m.Placed;
        if (placed.Length == 0) return;
        for (int i = 0; i < placed.Length; i++)
        {
            Unplace(placed[i]);
            Host.FreezeThread(m, placed[i].Tid, null);
        }
        if (m.ChargedTo != null) Charge(m.ChargedTo, placed.Length, 0);
        Recount(m);
    }

    // A live member counts in its cgroup's population while it has a thread there.
    private void Recount(CgroupMember m)
    {
        Cgroup? g = m.Group;
        if (g == null || m.Left) return;
        bool counted = m.HomeTasks > 0;
        if (counted == m.HomeCounted) return;
        m.HomeCounted = counted;
        Charge(g, 0, counted ? 1 : -1);
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
        int home = m.HomeTasks;
        CgroupThread[] placed = m.Placed;
        for (int i = 0; i < placed.Length; i++) Unplace(placed[i]);
        Cgroup? g = m.ChargedTo;
        if (g == null) return;
        m.ChargedTo = null;
        g.ExitedTasks -= home;
        Charge(g, -home, 0);
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
        // Threads placed apart stop counting as population; their tasks stay until they end or the reap.
        CgroupThread[] placed = m.Placed;
        for (int i = 0; i < placed.Length; i++)
        {
            if (!placed[i].Live) continue;
            placed[i].Live = false;
            Charge(placed[i].Group, 0, -1);
            WithdrawAsk(placed[i]); // an exited process has nothing left to stop
            UpdateFrozen(placed[i].Group);
        }
        if (m.Group != null && m.FreezeAsked != 0)
        {
            WithdrawAsk(m.Group, m);
            UpdateFrozen(m.Group);
        }
        Cgroup? g = SeededBugs.CgroupExitFromStaleGroup ? seen : m.Group;
        if (g == null || !g.Members.Remove(m)) return;
        if (m.ChargedTo == g) g.ExitedTasks += m.HomeTasks;
        Charge(g, 0, m.HomeCounted ? -1 : 0);
        m.HomeCounted = false;
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
        GatherThreads(m); // the whole process moves: its threads placed apart too
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
        return VetDestination(to);
    }

    // Linux's cgroup_migrate_vet_dst: its domain must be valid; a cgroup that is or may become a
    // thread root, or is threaded, takes tasks; otherwise not with a controller enabled below.
    private static int VetDestination(Cgroup to)
    {
        if (to.IsRoot) return 0;
        if (!to.Domain.IsValidDomain) return -Errno.EOPNOTSUPP;
        if (to.CanBeThreadRoot || to.Threaded) return 0;
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
        Charge(g, -m.HomeTasks, m.HomeCounted ? -1 : 0);
        m.HomeCounted = false;
        if (m.FreezeAsked != 0) g.FreezePending--; // still unanswered: MigrateIn counts it where it goes
        UpdateFrozen(g);
    }

    /// <summary>The second half of a move: joins <paramref name="to"/> unless the member left meanwhile.</summary>
    public void MigrateIn(CgroupMember m, Cgroup to)
    {
        if (m.Left || to.Removed)
        {
            FreezeOnJoin(m, Root); // it runs in the root
            return;
        }
        Join(m, to);
        FreezeOnJoin(m, to);
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

// CgroupTree.Freeze: cgroup.freeze as requests and answers. A cgroup whose
// subtree must freeze (Freezing: its own freeze or an ancestor's) asks each of
// its processes, and each thread placed in it apart, to stop; each answers once
// stopped (FreezeAnswered, a message from the process's CPU — a process answers
// when none of its threads is inside an uninterruptible call, the D state a
// Linux freeze waits out too). cgroup.events says frozen 1 once nothing in the
// subtree is left to answer (Linux's cgroup_update_frozen; an empty cgroup is
// frozen at once), and frozen 0 at once on a thaw.
//
// The tree never waits for an answer: it counts the asks not yet answered
// (FreezePending) and moves on, and each step that moves, forks, places or
// ends a member keeps that count. Each ask has a generation, so an answer to
// an ask since withdrawn (a thaw, a move, an exit) is dropped. Waiting instead
// — holding a freezing cgroup's own requests to the tree until its members
// answer, while a member answers only once its request is done — is the
// request/reply cycle of seeded bug 2 (SeededBugs.CgroupFreezeHoldsForks).
namespace Kevlar.Cgroups;

public sealed partial class CgroupTree
{
    private int _freezeGeneration;

    /// <summary>cgroup.freeze: the subtree is frozen while this or an ancestor says so; each
    /// process (or thread placed apart) whose cgroup starts or stops freezing is asked to stop or
    /// to run, and each cgroup whose frozen state changes reports it in cgroup.events.</summary>
    public void Freeze(Cgroup g, bool freeze)
    {
        g.FreezeSet = freeze;
        Refreeze(g, g.Parent != null && g.Parent.Freezing);
        UpdateFrozen(g.Parent);
    }

    /// <summary>The process of <paramref name="m"/> (thread <paramref name="tid"/> of it placed
    /// apart, or 0 for the process) stopped as asked by freeze <paramref name="generation"/>: it no
    /// longer counts as pending, unless that ask was withdrawn or replaced since.</summary>
    public void FreezeAnswered(CgroupMember m, int tid, int generation)
    {
        if (generation == 0) return;
        if (tid == 0)
        {
            if (m.FreezeAsked != generation) return;
            m.FreezeAsked = 0;
            Cgroup? g = m.Group;
            if (g == null) return; // between the two halves of seeded bug 3's move: counted nowhere
            g.FreezePending--;
            UpdateFrozen(g);
            return;
        }
        CgroupThread? t = m.PlacementOf(tid);
        if (t == null || t.FreezeAsked != generation) return;
        t.FreezeAsked = 0;
        t.Group.FreezePending--;
        UpdateFrozen(t.Group);
    }

    // Children before their parent, so each sees its children's Frozen; the caller updates the ancestors.
    private void Refreeze(Cgroup g, bool parentFreezing)
    {
        bool now = g.FreezeSet || parentFreezing;
        if (now != g.Freezing)
        {
            g.Freezing = now;
            for (int i = 0; i < g.Members.Count; i++) AskMember(g, g.Members[i]);
            for (int i = 0; i < g.Placed.Count; i++) if (g.Placed[i].Live) AskThread(g.Placed[i]);
        }
        for (int i = 0; i < g.Children.Count; i++) Refreeze(g.Children[i], now);
        SetFrozen(g, ComputeFrozen(g));
    }

    // m, a member of g, is asked to stop (g is freezing) or to run; an unanswered ask is replaced.
    private void AskMember(Cgroup g, CgroupMember m)
    {
        if (!g.Freezing)
        {
            WithdrawAsk(g, m);
            Thaw(m);
            return;
        }
        if (m.FreezeAsked == 0) g.FreezePending++;
        m.FreezeAsked = NextFreezeGeneration();
        m.FreezeWanted = m.FreezeAsked;
        Host.Freeze(m, m.FreezeAsked);
    }

    private void Thaw(CgroupMember m)
    {
        m.FreezeWanted = 0;
        Host.Freeze(m, 0);
    }

    // A thread placed in t.Group is asked to stop or to run, as AskMember.
    private void AskThread(CgroupThread t)
    {
        Cgroup g = t.Group;
        if (!g.Freezing)
        {
            WithdrawAsk(t);
            Host.FreezeThread(t.Process, t.Tid, 0);
            return;
        }
        if (t.FreezeAsked == 0) g.FreezePending++;
        t.FreezeAsked = NextFreezeGeneration();
        Host.FreezeThread(t.Process, t.Tid, t.FreezeAsked);
    }

    // An unanswered ask of m in g no longer counts (it moves, exits or thaws); the caller updates Frozen.
    private static void WithdrawAsk(Cgroup g, CgroupMember m)
    {
        if (m.FreezeAsked == 0) return;
        m.FreezeAsked = 0;
        g.FreezePending--;
    }

    private static void WithdrawAsk(CgroupThread t)
    {
        if (t.FreezeAsked == 0) return;
        t.FreezeAsked = 0;
        t.Group.FreezePending--;
    }

    // The freeze state of m's process as it joins `to` by a move: a process already stopped
    // stays stopped in a freezing cgroup (nothing to ask), one still to answer is counted there,
    // one running is asked; into a cgroup not freezing, a stopped process runs again.
    private void FreezeOnJoin(CgroupMember m, Cgroup to)
    {
        if (!to.Freezing)
        {
            m.FreezeAsked = 0;
            if (m.FreezeWanted != 0) Thaw(m);
            return;
        }
        if (m.FreezeAsked != 0) to.FreezePending++;
        else if (m.FreezeWanted == 0) AskMember(to, m);
        UpdateFrozen(to);
    }

    // A forked child joins `to`: in a freezing cgroup it starts stopped (it reads FreezeWanted once it
    // is a process) and counts as stopped at once, having never run.
    private void FreezeOnFork(CgroupMember child, Cgroup to)
    {
        if (to.Freezing) child.FreezeWanted = NextFreezeGeneration();
    }

    private int NextFreezeGeneration()
    {
        _freezeGeneration = _freezeGeneration == int.MaxValue ? 1 : _freezeGeneration + 1;
        return _freezeGeneration;
    }

    // g and its ancestors recompute cgroup.events' frozen, up to the first that does not change.
    private void UpdateFrozen(Cgroup? g)
    {
        for (Cgroup? c = g; c != null; c = c.Parent)
            if (!SetFrozen(c, ComputeFrozen(c))) return;
    }

    // Frozen: freezing, nothing here left to answer, and every child frozen.
    private static bool ComputeFrozen(Cgroup g)
    {
        if (!g.Freezing || g.FreezePending > 0) return false;
        for (int i = 0; i < g.Children.Count; i++) if (!g.Children[i].Frozen) return false;
        return true;
    }

    private bool SetFrozen(Cgroup g, bool frozen)
    {
        if (g.Frozen == frozen) return false;
        g.Frozen = frozen;
        EventsChanged(g);
        return true;
    }

    // FreezeCounted (Cgroup.cs) for g alone: null or the broken invariant's text.
    private static string? CheckFreeze(Cgroup g)
    {
        int pending = 0;
        for (int i = 0; i < g.Members.Count; i++) if (g.Members[i].FreezeAsked != 0) pending++;
        for (int i = 0; i < g.Placed.Count; i++) if (g.Placed[i].FreezeAsked != 0) pending++;
        if (pending != g.FreezePending) return "FreezeCounted: a cgroup's unanswered freeze asks miscounted";
        if (g.Frozen != ComputeFrozen(g)) return "FreezeCounted: cgroup.events' frozen differs from its members' answers";
        return null;
    }
}

// CgroupCall: what fork, exit and cgroupfs writes ask of the cgroup tree, from
// the process side. The tree lives on the VfsActor: a fork in a cgroup other
// than the root asks it (FileOwner.Run: inline on its CPU, else a round trip)
// to check pids.max and charge the child in one step before the child exists;
// a fork in the root cgroup, which has no limit, asks nothing. A thread is
// charged to its process's member the same way, and its end posted; in the
// root neither. An exit posts its leave and a reap the release of the
// zombie's charge (no reply needed).
// docs/decisions.md "cgroups" has the argument.
//
// A process's CgroupMember is made on first need by whichever side needs it
// (its exit, a write of its pid to cgroup.procs, its own first write), with a
// compare-and-swap, so both sides agree on the one object.
using System.Collections.Generic;
using System.Threading;
using Kevlar.Cgroups;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;

namespace Kevlar.Process.Files.Cgroups;

public static class CgroupCall
{
    /// <summary>The process's member of the tree (made now if it had none: the root cgroup).</summary>
    public static CgroupMember MemberOf(UserProcess p)
    {
        CgroupMember? m = Volatile.Read(ref p.CgroupMember);
        if (m != null) return m;
        Interlocked.CompareExchange(ref p.CgroupMember, new CgroupMember(p.Pid), null);
        return Volatile.Read(ref p.CgroupMember)!;
    }

    /// <summary>The live process <paramref name="pid"/>'s member, or null (cgroup.procs' -ESRCH).</summary>
    public static CgroupMember? Find(ProcessHost host, int pid)
    {
        UserProcess? p = host.Table.Find(pid);
        return p == null || p.Reaped ? null : MemberOf(p);
    }

    /// <summary>The member of the live process thread <paramref name="tid"/> belongs to, or null
    /// (cgroup.threads' -ESRCH).</summary>
    public static CgroupMember? FindThread(ProcessHost host, int tid)
    {
        UserProcess[] all = host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Exited) continue;
            UserThread[] threads = all[i].ThreadSnapshot;
            for (int j = 0; j < threads.Length; j++) if (threads[j].Tid == tid && !threads[j].HasExited) return MemberOf(all[i]);
        }
        return null;
    }

    /// <summary>A fork by <paramref name="p"/> must be charged: it is in a cgroup other than the
    /// root. Read without a message: a move racing the fork may be seen either side, which is
    /// the fork happening before or after it.</summary>
    public static bool MustCharge(UserProcess p)
    {
        CgroupMember? m = Volatile.Read(ref p.CgroupMember);
        return m != null && (m.Group != null || m.EverPlaced); // a thread placed apart may be in a cgroup with a limit
    }

    /// <summary>Checks pids.max up the tree and charges <paramref name="child"/> to the caller's
    /// cgroup, one step on the owner: 0 or -EAGAIN. A child of a freezing cgroup starts stopped
    /// (FollowFreeze).</summary>
    public static KernelTask<long> Charge(UserThread t, CgroupMember child)
    {
        ProcessHost host = t.Process.Host;
        CgroupTree tree = host.Vfs.Types.Cgroups!.Tree;
        CgroupMember parent = MemberOf(t.Process);
        if (SeededBugs.CgroupCheckThenCharge) return CheckThenCharge(t, tree, parent, child);
        int forker = t.Tid;
        if (SeededBugs.CgroupFreezeHoldsForks) return ChargeHeldWhileFreezing(t, tree, parent, child, forker);
        return host.Vfs.Run(t, () => tree.Fork(parent, child, forker)); // the child starts in the forking thread's cgroup
    }

    /// <summary>The charged <paramref name="child"/>, just published in the process table and not
    /// yet started, follows what the tree last asked of its member: a freeze asked before it was
    /// in the table found nothing to tell (CgroupFs.Freeze), so it looks now. The tree writes
    /// FreezeWanted before its look-up and the child reads it after its publication, so one of
    /// the two sees the other. The answer is applied on the child's CPU, reading the value again
    /// there, before its first run (messages from one sender arrive in order).</summary>
    public static void FollowFreeze(UserProcess child, CgroupMember member)
    {
        if (member.FreezeWanted == 0) return;
        ProcessQuery.Post(child, p => p.SetFrozen(member.FreezeWanted));
    }

    /// <summary>The freeze answers <paramref name="p"/> owed (tid and generation pairs), to the tree.</summary>
    internal static void AnswerFreeze(UserProcess p, List<int> owed)
    {
        CgroupTree tree = p.Host.Vfs.Types.Cgroups!.Tree;
        CgroupMember m = MemberOf(p);
        p.Host.Vfs.Post(() =>
        {
            for (int i = 0; i + 1 < owed.Count; i += 2) tree.FreezeAnswered(m, owed[i], owed[i + 1]);
            return 0;
        });
    }

    // Seeded bug 2: a fork in a freezing cgroup is held by the tree until the freeze completes:
    // one round trip whose reply waits, the thread inside its uninterruptible call meanwhile —
    // and its process answers the freeze only once that call ends, so neither ever happens.
    private static async KernelTask<long> ChargeHeldWhileFreezing(UserThread t, CgroupTree tree, CgroupMember parent, CgroupMember child, int forker)
    {
        FileOwner vfs = t.Process.Host.Vfs;
        var reply = new KernelEvent<int>(t);
        long result = 0;
        void Try()
        {
            Cgroup at = tree.GroupOf(parent, forker);
            if (at.Freezing && !at.Frozen)
            {
                tree.PollEvents(at, at.EventsVersion, new CgroupPollWaiter(new HeldFork(vfs, Try)));
                return;
            }
            result = tree.Fork(parent, child, forker);
            vfs.Scheduler!.Send(t, new WakeMessage(reply, 1));
        }
        t.WaitEvent = reply;
        t.Uninterruptible = true;
        vfs.Defer(() =>
        {
            Try();
            return 0;
        });
        await reply;
        t.EndUninterruptible();
        t.EndWait();
        return result;
    }

    // The held fork of seeded bug 2, tried again as a later step of the owner at the cgroup's next change.
    private sealed class HeldFork : FileWaiter
    {
        private readonly FileOwner _owner;
        private readonly System.Action _again;

        public HeldFork(FileOwner owner, System.Action again) : base(PollEvents.POLLPRI)
        {
            _owner = owner;
            _again = again;
        }

        public override void Wake(Kevlar.Runtime.Scheduling.Scheduler scheduler, int events) => _owner.Defer(() =>
        {
            _again();
            return 0;
        });
    }

    // Seeded bug 4: the check and the charge as two requests; another fork passes between them.
    private static async KernelTask<long> CheckThenCharge(UserThread t, CgroupTree tree, CgroupMember parent, CgroupMember child)
    {
        long r = await t.Process.Host.Vfs.Run(t, () => tree.MayFork(parent));
        if (r < 0) return r;
        return await t.Process.Host.Vfs.Run(t, () =>
        {
            tree.Join(child, tree.GroupOf(parent));
            return 0;
        });
    }

    /// <summary>The charged child is now a process: it keeps <paramref name="member"/>. Called
    /// before anyone could learn its pid but after it entered the table: a move of it that came
    /// first (a guessed pid) keeps its own member, and this one's charge is returned.</summary>
    public static void Adopt(UserProcess child, CgroupMember member)
    {
        if (Interlocked.CompareExchange(ref child.CgroupMember, member, null) != null) Abandon(child.Host, member);
    }

    /// <summary>A charged fork failed afterwards: its charge and membership go.</summary>
    public static void Abandon(ProcessHost host, CgroupMember member)
    {
        CgroupTree tree = host.Vfs.Types.Cgroups!.Tree;
        host.Vfs.Post(() =>
        {
            tree.Reap(member);
            return 0;
        });
    }

    /// <summary>Thread <paramref name="tid"/> of a process in a cgroup other than the root is about
    /// to be made by <paramref name="t"/>: pids.max is checked up the tree from <paramref name="t"/>'s
    /// cgroup and the thread charged there, one step on the owner: 0 or -EAGAIN.</summary>
    public static KernelTask<long> ChargeThread(UserThread t, int tid)
    {
        CgroupTree tree = t.Process.Host.Vfs.Types.Cgroups!.Tree;
        CgroupMember m = MemberOf(t.Process);
        int creator = t.Tid;
        return t.Process.Host.Vfs.Run(t, () => tree.AddThread(m, creator, tid));
    }

    /// <summary>Thread <paramref name="tid"/> of <paramref name="p"/> ended (or was not made after
    /// its charge): uncharged (ThreadsEnded).</summary>
    public static void ThreadEnded(UserProcess p, int tid) => ThreadsEnded(p, null, tid);

    /// <summary>The threads in <paramref name="ended"/> of <paramref name="p"/> ended, all but
    /// <paramref name="stays"/> (the one a zombie keeps, or exec's survivor): a post to the owner,
    /// which uncharges them where they are charged — as one count, or one by one once the process
    /// has had a thread placed apart. In the root cgroup nothing is posted (a move out of it
    /// counts the threads).</summary>
    public static void ThreadsEnded(UserProcess p, UserThread[]? ended, int stays)
    {
        Cgroups.CgroupFs? fs = p.Host.Vfs.Types.Cgroups;
        if (fs == null || !MustCharge(p)) return;
        CgroupMember m = MemberOf(p);
        if (ended == null)
        {
            int tid = stays;
            p.Host.Vfs.Post(() =>
            {
                fs.Tree.ThreadGone(m, tid);
                return 0;
            });
            return;
        }
        if (ended.Length <= 1) return;
        if (!m.EverPlaced)
        {
            int delta = 1 - ended.Length;
            p.Host.Vfs.Post(() =>
            {
                fs.Tree.AddTasks(m, delta);
                return 0;
            });
            return;
        }
        var tids = new int[ended.Length];
        for (int i = 0; i < tids.Length; i++) tids[i] = ended[i].Tid;
        p.Host.Vfs.Post(() =>
        {
            for (int i = 0; i < tids.Length; i++) if (tids[i] != stays) fs.Tree.ThreadGone(m, tids[i]);
            return 0;
        });
    }

    /// <summary>The zombie was reaped: the tasks it still charged go (a post to the owner). A
    /// process the tree never knew charged nothing.</summary>
    public static void Reaped(UserProcess zombie)
    {
        Cgroups.CgroupFs? fs = zombie.Host.Vfs.Types.Cgroups;
        CgroupMember? m = Volatile.Read(ref zombie.CgroupMember);
        if (fs == null || m == null || m.IsGone) return;
        zombie.Host.Vfs.Post(() =>
        {
            fs.Tree.Reap(m);
            return 0;
        });
    }

    /// <summary>The process exits: it leaves its cgroup (a post to the owner, inline on its CPU).
    /// The owner ends the membership and the charge in that one step, from the group it holds then.
    /// A process the tree never knew (no member yet: the root, never moved, never wrote a control
    /// file) gets a member that has left already, and nothing is posted.</summary>
    public static void Leave(UserProcess p)
    {
        Cgroups.CgroupFs? fs = p.Host.Vfs.Types.Cgroups;
        if (fs == null) return;
        if (Interlocked.CompareExchange(ref p.CgroupMember, CgroupMember.Gone(p.Pid), null) == null) return;
        CgroupMember m = MemberOf(p);
        Cgroup? seen = m.Group; // only the seeded bug 1 uses it
        if (SeededBugs.CgroupExitFromStaleGroup) InterleaveHook.Point();
        p.Host.Vfs.Post(() =>
        {
            fs.Tree.ExitFrom(m, seen);
            return 0;
        });
    }
}

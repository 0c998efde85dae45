// PidNamespace: a PID namespace (pid_namespaces(7)). A process is in one for
// life (its active namespace, UserProcess.PidNs) and has a number there and in
// every ancestor; the initial namespace's numbers are the kernel's own
// (UserProcess.Pid, UserThread.Tid), used everywhere inside. Numbers cross the
// syscall boundary translated: a pid a caller passes names a process of the
// caller's namespace (GlobalOf), and a pid it is told is the number in its
// namespace (NumberOf), 0 for a process outside it. Threads have numbers the
// same way; a process group or session keeps its leader's numbers until
// neither the leader nor a member is left.
//
// The first process made in a new namespace is its init (number 1): orphans
// of the namespace go to it, and when it exits every other process there is
// killed, forks into the namespace fail with ENOMEM from then on, and the init
// is reported to its parent only once the others are all reaped (Linux's
// zap_pid_namespace and PIDNS_ADDING).
//
// State: Parent, Level and Inode never change. _numbers is an immutable array
// of (number, global) pairs replaced whole by compare-and-swap, so lookups on
// any CPU take no lock (as ProcessTable). _state holds the count of processes
// that have a number here, "adding" and "init exited" in one word changed by
// compare-and-swap: of the init's exit and the last reap, exactly one sees the
// namespace empty with its init gone, and that one reports the init. Init is
// set once, by the fork that made number 1; Proc once, on the VfsActor.
using System.Threading;

namespace Kevlar.Process.Namespaces;

public sealed class PidNamespace
{
    /// <summary>MAX_PID_NS_LEVEL: the deepest nesting; one more is ENOSPC.</summary>
    public const int MaxLevel = 32;
    /// <summary>PROC_PID_INIT_INO: the initial namespace's nsfs inode.</summary>
    public const ulong InitialInode = 0xEFFFFFFC;

    private const int Adding = 1, InitExited = 2, OneProcess = 4;

    public readonly PidNamespace? Parent;
    /// <summary>0 for the initial namespace, its parent's plus one below it.</summary>
    public readonly int Level;
    /// <summary>The nsfs inode ("pid:[Inode]").</summary>
    public readonly ulong Inode;

    private int _lastNumber;
    private int _state = Adding;
    private long[] _numbers = new long[0];
    private int[] _lingering = new int[0];
    private UserProcess? _init;

    /// <summary>The initial namespace (every process of a kernel that never made another).</summary>
    public PidNamespace(ulong inode)
    {
        Inode = inode;
    }

    private PidNamespace(PidNamespace parent, ulong inode)
    {
        Parent = parent;
        Level = parent.Level + 1;
        Inode = inode;
    }

    /// <summary>A namespace below this one (CLONE_NEWPID), or null past MaxLevel (ENOSPC).</summary>
    public PidNamespace? NewChild(ulong inode) => Level >= MaxLevel ? null : new PidNamespace(this, inode);

    /// <summary>Its init, number 1 here (null until the first fork into it; the kernel's init for
    /// the initial namespace is ProcessHost.Init).</summary>
    public UserProcess? Init => Volatile.Read(ref _init);

    /// <summary>The procfs a mount of proc made by a process of this namespace shows (nested
    /// namespaces only; made on the VfsActor at the first such mount).</summary>
    public Files.Procfs.ProcFs? Proc;

    /// <summary>Whether its init has exited (the namespace takes no new process).</summary>
    public bool Dying => (Volatile.Read(ref _state) & Adding) == 0;

    /// <summary>Whether <paramref name="other"/> is this namespace or one below it.</summary>
    public bool Contains(PidNamespace other)
    {
        if (other.Level < Level) return false;
        PidNamespace n = other;
        while (n.Level > Level) n = n.Parent!;
        return n == this;
    }

    // The namespace of <paramref name="ns"/>'s line at this one's level (ns below or at it).
    private static PidNamespace AtLevel(PidNamespace ns, int level)
    {
        while (ns.Level > level) ns = ns.Parent!;
        return ns;
    }

    // --- translation ------------------------------------------------------------------

    /// <summary>The number <paramref name="p"/> has here: 0 when it is outside this namespace.</summary>
    public int NumberOf(UserProcess p) => NumberIn(p.PidNs, p.PidNumbers, p.Pid);

    /// <summary>The number thread <paramref name="t"/> has here: 0 when it is outside.</summary>
    public int NumberOf(UserThread t) => NumberIn(t.Process.PidNs, t.TidNumbers, t.Tid);

    private int NumberIn(PidNamespace ns, int[]? numbers, int global)
    {
        if (Level == 0) return global;
        if (numbers == null || numbers.Length <= Level || AtLevel(ns, Level) != this) return 0;
        return numbers[Level];
    }

    /// <summary>The number the kernel's number <paramref name="global"/> (a pid, process group or
    /// session) has here: 0 when it has none.</summary>
    public int NumberOfGlobal(int global)
    {
        if (Level == 0 || global <= 0) return global;
        long[] all = Volatile.Read(ref _numbers);
        for (int i = 0; i < all.Length; i++) if ((int)all[i] == global) return (int)(all[i] >> 32);
        return 0;
    }

    /// <summary>The kernel's number for <paramref name="number"/> here: 0 when nothing has it.</summary>
    public int GlobalOf(int number)
    {
        if (Level == 0 || number <= 0) return number;
        long[] all = Volatile.Read(ref _numbers);
        for (int i = 0; i < all.Length; i++) if ((int)(all[i] >> 32) == number) return (int)all[i];
        return 0;
    }

    /// <summary>Every (number, global) pair here now, for listings (/proc): never modify it.</summary>
    public long[] Numbers => Volatile.Read(ref _numbers);

    // --- numbers for new processes and threads ----------------------------------------

    /// <summary>Numbers for a new process in this namespace whose kernel number is
    /// <paramref name="global"/>: one per level (index 0 the global one), or null for the initial
    /// namespace. False (ENOMEM) when this namespace's init has exited. The caller gives them back
    /// with Release if the process is not made after all.</summary>
    public bool NumbersForProcess(int global, out int[]? numbers)
    {
        numbers = null;
        if (Level == 0) return true;
        while (true)
        {
            int s = Volatile.Read(ref _state);
            if ((s & Adding) == 0) return false;
            if (Interlocked.CompareExchange(ref _state, s + OneProcess, s) == s) break;
        }
        for (PidNamespace? n = Parent; n != null && n.Level > 0; n = n.Parent) Interlocked.Add(ref n._state, OneProcess);
        numbers = Take(global);
        return true;
    }

    /// <summary>Numbers for a new thread of a process in this namespace (not counted as a process).</summary>
    public int[]? NumbersForThread(int global) => Level == 0 ? null : Take(global);

    private int[] Take(int global)
    {
        var numbers = new int[Level + 1];
        numbers[0] = global;
        for (PidNamespace? n = this; n != null && n.Level > 0; n = n.Parent)
        {
            numbers[n.Level] = Interlocked.Increment(ref n._lastNumber);
            n.Add(numbers[n.Level], global);
        }
        return numbers;
    }

    /// <summary>The fork that made <paramref name="p"/> finished it: number 1 is the namespace's init.</summary>
    public void Made(UserProcess p)
    {
        if (p.PidNumbers != null && p.PidNumbers[Level] == 1) Volatile.Write(ref _init, p);
    }

    /// <summary>A thread's numbers go (it ended), everywhere up the line.</summary>
    public void ReleaseThread(int global)
    {
        for (PidNamespace? n = this; n != null && n.Level > 0; n = n.Parent) n.Remove(global);
    }

    /// <summary>A process with numbers here was reaped (or never made): it no longer counts, and
    /// its number goes once no process group or session is named by it. A namespace whose init
    /// has exited and that this leaves with the init alone has its init reported to its parent.</summary>
    public void ReleaseProcess(ProcessHost host, int global)
    {
        for (PidNamespace? n = this; n != null && n.Level > 0; n = n.Parent)
        {
            int after = Interlocked.Add(ref n._state, -OneProcess);
            if ((after & InitExited) != 0 && after >> 2 == 1) n.Init?.ReportExit();
            n.Linger(host, global);
        }
    }

    /// <summary>Its init exited: no process joins from now on. True when the init is the only
    /// process left, so its parent may hear of it now; otherwise the last reap reports it.</summary>
    public bool InitHasExited()
    {
        while (true)
        {
            int s = Volatile.Read(ref _state);
            int next = (s & ~Adding) | InitExited;
            if (Interlocked.CompareExchange(ref _state, next, s) == s) return next >> 2 == 1;
        }
    }

    // A reaped process's number stays while a process group or session is named by it; every
    // number waiting so is looked at again on each reap here.
    private void Linger(ProcessHost host, int global)
    {
        UserProcess[] all = host.Table.Snapshot;
        int[] waiting = Volatile.Read(ref _lingering);
        for (int i = 0; i < waiting.Length; i++)
        {
            if (NamesAGroup(all, waiting[i])) continue;
            Remove(waiting[i]);
            Unlinger(waiting[i]);
        }
        if (!NamesAGroup(all, global))
        {
            Remove(global);
            return;
        }
        while (true)
        {
            int[] old = Volatile.Read(ref _lingering);
            var next = new int[old.Length + 1];
            for (int i = 0; i < old.Length; i++) next[i] = old[i];
            next[old.Length] = global;
            if (Interlocked.CompareExchange(ref _lingering, next, old) == old) return;
        }
    }

    private static bool NamesAGroup(UserProcess[] all, int global)
    {
        for (int j = 0; j < all.Length; j++)
            if (!all[j].Reaped && (all[j].ProcessGroup == global || all[j].Session == global)) return true;
        return false;
    }

    private void Unlinger(int global)
    {
        while (true)
        {
            int[] old = Volatile.Read(ref _lingering);
            int at = -1;
            for (int i = 0; i < old.Length; i++) if (old[i] == global) at = i;
            if (at < 0) return;
            var next = new int[old.Length - 1];
            for (int i = 0, j = 0; i < old.Length; i++) if (i != at) next[j++] = old[i];
            if (Interlocked.CompareExchange(ref _lingering, next, old) == old) return;
        }
    }

    private void Add(int number, int global)
    {
        long pair = ((long)number << 32) | (uint)global;
        while (true)
        {
            long[] old = Volatile.Read(ref _numbers);
            var next = new long[old.Length + 1];
            for (int i = 0; i < old.Length; i++) next[i] = old[i];
            next[old.Length] = pair;
            if (Interlocked.CompareExchange(ref _numbers, next, old) == old) return;
        }
    }

    private void Remove(int global)
    {
        while (true)
        {
            long[] old = Volatile.Read(ref _numbers);
            int at = -1;
            for (int i = 0; i < old.Length; i++) if ((int)old[i] == global) at = i;
            if (at < 0) return;
            var next = new long[old.Length - 1];
            for (int i = 0, j = 0; i < old.Length; i++) if (i != at) next[j++] = old[i];
            if (Interlocked.CompareExchange(ref _numbers, next, old) == old) return;
        }
    }
}

// ProcessTable: every process that exists, by pid, for kill and friends. It
// is an immutable snapshot (an array) that writers replace with a
// compare-and-swap, so readers on any CPU look a pid up without a message or
// a lock (DESIGN.md principle 2: a published snapshot). Fork adds, reaping
// removes; both are rare next to lookups.
//
// Invariant: a pid appears at most once; a process is in the table from the
// moment its main thread can take messages (UserProcess.EnterTable, after the
// thread is registered) until it is reaped (zombies included).
using System.Threading;

namespace Kevlar.Process;

public sealed class ProcessTable
{
    private UserProcess[] _snapshot = new UserProcess[0];

    public UserProcess? Find(int pid)
    {
        UserProcess[] s = Volatile.Read(ref _snapshot);
        for (int i = 0; i < s.Length; i++)
            if (s[i].Pid == pid) return s[i];
        return null;
    }

    /// <summary>The current snapshot: every process at one instant. Never modify it.</summary>
    public UserProcess[] Snapshot => Volatile.Read(ref _snapshot);

    public void Add(UserProcess p)
    {
        while (true)
        {
            UserProcess[] old = Volatile.Read(ref _snapshot);
            var next = new UserProcess[old.Length + 1];
            for (int i = 0; i < old.Length; i++) next[i] = old[i];
            next[old.Length] = p;
            if (Interlocked.CompareExchange(ref _snapshot, next, old) == old) return;
        }
    }

    public void Remove(UserProcess p)
    {
        while (true)
        {
            UserProcess[] old = Volatile.Read(ref _snapshot);
            int at = -1;
            for (int i = 0; i < old.Length; i++) if (old[i] == p) at = i;
            if (at < 0) return;
            var next = new UserProcess[old.Length - 1];
            for (int i = 0, j = 0; i < old.Length; i++) if (i != at) next[j++] = old[i];
            if (Interlocked.CompareExchange(ref _snapshot, next, old) == old) return;
        }
    }
}

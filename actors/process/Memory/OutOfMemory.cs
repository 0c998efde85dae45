// OutOfMemory: a user page fault that finds no free frame (Linux's
// pagefault_out_of_memory and OOM killer). Exec's cached images are dropped
// first (on the VfsActor, which owns them). The live process holding the most
// pages (init spared, as Linux spares it) gets SIGKILL and a line on the
// console; the faulting thread yields and faults again once the others ran,
// so the victim's exit frees the frames; no second victim is chosen while
// the first still holds pages. When the faulting process is the largest, it
// is the one killed. A thread still short after 10 s is killed too, so
// nothing waits forever.
//
// Reads other processes' page counts without a message (a hint, as procfs
// reads them); the kill travels as a SignalMessage like kill(2)'s.
using Kevlar.Process.Signals;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Memory;

public static class OutOfMemory
{
    /// <summary>How long a thread waits for memory before it is killed itself.</summary>
    public const ulong MaxWaitNanoseconds = 10_000_000_000;

    /// <summary>True: the thread yields and retries the access. False: its process was killed.</summary>
    public static bool Handle(UserThread t)
    {
        UserProcess self = t.Process;
        ProcessHost host = self.Host;
        ulong now = host.Clock.MonotonicNanoseconds;
        if (t.OutOfMemorySince == 0)
        {
            t.OutOfMemorySince = now;
            // Cached executable images go first: their frames no process maps come back.
            Exec.ExecImageCache cache = host.ExecImages;
            host.Vfs.Post(() =>
            {
                cache.Clear();
                return 0;
            });
        }
        // One victim at a time (Linux skips choosing while a victim still exits): its frames
        // come back when its exit has torn its memory down.
        UserProcess? pending = System.Threading.Volatile.Read(ref host.OutOfMemoryVictim);
        bool waiting = pending != null && pending != self && pending.Pages.ResidentPages > 0;
        UserProcess? victim = waiting ? pending : Largest(host);
        if (victim == null || victim == self || now - t.OutOfMemorySince > MaxWaitNanoseconds)
        {
            Kill(self, self);
            SignalDelivery.Raise(t, Signal.SIGKILL, SignalInfo.SI_KERNEL, 0, 0);
            return false;
        }
        if (!waiting)
        {
            System.Threading.Volatile.Write(ref host.OutOfMemoryVictim, victim);
            Kill(self, victim);
        }
        return true;
    }

    // The live process with the most resident pages.
    private static UserProcess? Largest(ProcessHost host)
    {
        UserProcess[] all = host.Table.Snapshot;
        UserProcess? best = null;
        ulong most = 0;
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess p = all[i];
            if (p == null || p.Exited || p.Pid == 1) continue;
            ulong pages = p.Pages.ResidentPages;
            if (best == null || pages > most)
            {
                best = p;
                most = pages;
            }
        }
        return best;
    }

    private static void Kill(UserProcess asking, UserProcess victim)
    {
        if (victim.KilledForMemory) return;
        victim.KilledForMemory = true;
        ulong rssKib = victim.Pages.ResidentPages * 4, vmKib = victim.Memory.MappedBytes / 1024;
        string line = string.Concat("Out of memory: Killed process ", NumberText.Decimal(victim.Pid), " (", victim.MainThread.NameText,
            ") total-vm:", NumberText.Decimal((long)vmKib), "kB, anon-rss:", NumberText.Decimal((long)rssKib), "kB\n");
        asking.Host.Console.Write(Latin1.Encode(line) ?? new byte[0]);
        if (victim != asking)
            asking.Host.Scheduler.Send(victim.MainThread, new SignalMessage(Signal.SIGKILL, SignalInfo.SI_KERNEL, 0, 0, true));
    }
}

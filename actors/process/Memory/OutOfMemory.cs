// OutOfMemory: a user page fault that finds no free frame (Linux's
// pagefault_out_of_memory and OOM killer). The live process holding the most
// pages (init spared, as Linux spares it) gets SIGKILL and a line on the
// console; the faulting thread yields and faults again once the others ran,
// so the victim's exit frees the frames. When the faulting process is the
// largest, it is the one killed. A thread still short after MaxRetries tries
// is killed too, so nothing waits forever.
//
// Reads other processes' page counts without a message (a hint, as procfs
// reads them); the kill travels as a SignalMessage like kill(2)'s.
using Kevlar.Process.Signals;
using Kevlar.Runtime.Text;

namespace Kevlar.Process.Memory;

public static class OutOfMemory
{
    public const int MaxRetries = 500;

    /// <summary>True: the thread yields and retries the access. False: its process was killed.</summary>
    public static bool Handle(UserThread t)
    {
        UserProcess self = t.Process;
        UserProcess? victim = Largest(self.Host);
        if (victim == null || victim == self || ++t.OutOfMemoryRetries > MaxRetries)
        {
            Kill(self, self);
            SignalDelivery.Raise(t, Signal.SIGKILL, SignalInfo.SI_KERNEL, 0, 0);
            return false;
        }
        if (!victim.KilledForMemory) Kill(self, victim);
        return true;
    }

    // The live process with the most resident pages; one already killed for memory still counts
    // (its frames come back when it has exited), so it is not replaced by a second victim.
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

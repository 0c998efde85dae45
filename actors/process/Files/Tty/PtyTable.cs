// PtyTable: the live pseudo-terminals by number, published as an array that
// is replaced whole (compare-and-swap) on every change, so an open of
// /dev/pts/N on any CPU finds its pty without a lock or a message. Numbers
// are reused lowest first, as devpts does.
using System.Threading;

namespace Kevlar.Process.Files.Tty;

public sealed class PtyTable
{
    /// <summary>Linux's default /proc/sys/kernel/pty/max.</summary>
    public const int Max = 4096;
    private PtyLink?[] _links = new PtyLink?[0];

    /// <summary>The pty numbered <paramref name="index"/>, or null.</summary>
    public PtyLink? Find(int index)
    {
        PtyLink?[] links = Volatile.Read(ref _links);
        return index >= 0 && index < links.Length ? links[index] : null;
    }

    /// <summary>Publishes a new pty at the lowest free number: the link, or null when Max (or
    /// <paramref name="limit"/>, devpts's max=) are in use.</summary>
    public PtyLink? Add(int limit = Max)
    {
        while (true)
        {
            PtyLink?[] old = Volatile.Read(ref _links);
            int index = 0;
            while (index < old.Length && old[index] != null) index++;
            if (index >= Max || index >= limit) return null;
            var next = new PtyLink?[index < old.Length ? old.Length : old.Length + 1];
            for (int i = 0; i < old.Length; i++) next[i] = old[i];
            var link = new PtyLink(index);
            next[index] = link;
            if (Interlocked.CompareExchange(ref _links, next, old) == old) return link;
        }
    }

    /// <summary>Withdraws <paramref name="link"/> (its master closed).</summary>
    public void Remove(PtyLink link)
    {
        while (true)
        {
            PtyLink?[] old = Volatile.Read(ref _links);
            if (link.Index >= old.Length || old[link.Index] != link) return;
            var next = new PtyLink?[old.Length];
            for (int i = 0; i < old.Length; i++) next[i] = old[i];
            next[link.Index] = null;
            if (Interlocked.CompareExchange(ref _links, next, old) == old) return;
        }
    }
}

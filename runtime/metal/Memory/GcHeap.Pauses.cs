// The collector's own figures: a fixed ring of the last PauseRingSize
// collections (GcPause records in raw metadata memory, so recording allocates
// nothing), phase times from a clock the platform installs, and the stamp of
// the first collection request of a round (time to safepoint).
//
// The ring is written only inside a collection, when no handler runs on any
// CPU; it is read by handlers. So a reader never overlaps a writer.
using System.Threading;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Metal.Memory;

// Safety: the ring is PauseRingSize records in the heap's metadata, indexed modulo its size.
public static unsafe partial class GcHeap
{
    public const int PauseRingSize = 256;

    private static GcPause* s_pauses;
    // First request since the last collection started (ns, 0 none): written by CAS from any CPU.
    private static long s_requestedAtNs;

    /// <summary>Nanoseconds on a monotonic clock (installed by the platform; none: every time is 0).</summary>
    public static delegate*<ulong> NowNanoseconds;

    private static ulong Now() => NowNanoseconds == null ? 0 : NowNanoseconds();

    /// <summary>Stamps the first collection request of a round; later ones until the collection starts keep it.</summary>
    public static void NoteRequested()
    {
        ulong now = Now();
        if (now == 0) return;
        Interlocked.CompareExchange(ref s_requestedAtNs, (long)now, 0);
    }

    /// <summary>Copies the most recent records, oldest first, into <paramref name="into"/>; returns how many.
    /// Call from a handler (never during a collection).</summary>
    public static int CopyPauses(GcPause[] into)
    {
        long total = Collections;
        int n = (int)(total < PauseRingSize ? total : PauseRingSize);
        if (n > into.Length) n = into.Length;
        for (int i = 0; i < n; i++) into[i] = s_pauses[(total - n + i) % PauseRingSize];
        return n;
    }

    // The record of the collection under way (Collections is its number minus one).
    private static GcPause* CurrentPause => &s_pauses[Collections % PauseRingSize];

    // Starts the record of a collection whose first pause begins now (start): its number and the
    // time from the round's first request to here.
    private static GcPause* NewPauseRecord(out ulong start)
    {
        GcPause* pause = CurrentPause;
        start = Now();
        ulong requested = (ulong)Interlocked.Exchange(ref s_requestedAtNs, 0);
        *pause = default;
        pause->Number = Collections + 1;
        pause->SafepointNs = requested != 0 && start > requested ? start - requested : 0;
        return pause;
    }
}

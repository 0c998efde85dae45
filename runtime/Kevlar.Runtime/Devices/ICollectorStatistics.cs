// ICollectorStatistics: the kernel heap's recent collections, for
// /proc/kevlar/gc (the text is GcPauseTable's), and the census of live
// objects by type for /proc/kevlar/heap.
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Devices;

public interface ICollectorStatistics
{
    /// <summary>Collections since boot.</summary>
    long Collections { get; }

    /// <summary>Copies the most recent collections' figures, oldest first, into
    /// <paramref name="into"/> (at most its length); returns how many.</summary>
    int CopyRecent(GcPause[] into);

    /// <summary>Asks the next collection to count its live objects by type.</summary>
    void RequestCensus();

    /// <summary>The collection the last census was taken in (0: none yet).</summary>
    long CensusCollection { get; }

    /// <summary>The type whose referrers a census counts instead of live objects (0: none).</summary>
    ulong CensusReferrersOf { get; }

    /// <summary>Copies the last census's entries into <paramref name="into"/>; returns how many.</summary>
    int CopyCensus(HeapCensusEntry[] into);
}

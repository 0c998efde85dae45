// ICollectorStatistics: the kernel heap's recent collections, for
// /proc/kevlar/gc (the text is GcPauseTable's).
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Runtime.Devices;

public interface ICollectorStatistics
{
    /// <summary>Collections since boot.</summary>
    long Collections { get; }

    /// <summary>Copies the most recent collections' figures, oldest first, into
    /// <paramref name="into"/> (at most its length); returns how many.</summary>
    int CopyRecent(GcPause[] into);
}

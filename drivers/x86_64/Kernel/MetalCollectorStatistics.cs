// The kernel heap's collection figures on metal, from GcHeap's ring, and its census.
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Metal.Memory;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalCollectorStatistics : ICollectorStatistics
{
    public long Collections => GcHeap.Collections;

    public int CopyRecent(GcPause[] into) => GcHeap.CopyPauses(into);

    public void RequestCensus() => GcHeap.RequestCensus();

    public long CensusCollection => GcHeap.CensusCollection;

    public ulong CensusReferrersOf => GcHeap.ReferrersOf;

    public int CopyCensus(HeapCensusEntry[] into) => GcHeap.CopyCensus(into);
}

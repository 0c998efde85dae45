// CheckingSafepointClient: the collector callbacks of the safepoint scenario.
// Collect checks the handshake's safety: every CPU parked first, and no CPU is
// inside a handler while it runs (with an interleave point in the middle so a
// CPU that wrongly kept running gets the chance to enter one).
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Mocks;

public sealed class CheckingSafepointClient : ISafepointClient
{
    private readonly bool[] _parked;

    public CheckingSafepointClient(int cpus, HandlerTracker tracker)
    {
        _parked = new bool[cpus];
        Tracker = tracker;
    }

    public HandlerTracker Tracker { get; }

    public int Collections { get; private set; }

    // A CPU saving its state for the collector writes memory the collector
    // reads: a point first, so a parked count published before it shows.
    public void OnParking(int cpu)
    {
        InterleaveHook.Point();
        _parked[cpu] = true;
    }

    public void Collect()
    {
        for (int c = 0; c < _parked.Length; c++)
        {
            Specification.Assert(_parked[c],
                "AllParkedBeforeCollect: the collector started before every CPU parked");
        }
        Specification.Assert(!Tracker.AnyInHandler(),
            "NoHandlerDuringCollect: a handler runs while the heap is collected");
        InterleaveHook.Point();
        Specification.Assert(!Tracker.AnyInHandler(),
            "NoHandlerDuringCollect: a handler runs while the heap is collected");
        Collections++;
        for (int c = 0; c < _parked.Length; c++)
        {
            _parked[c] = false;
        }
    }

    // No collector work between pauses here.
    public bool Background(int cpu) => false;
}

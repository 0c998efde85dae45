// ISafepointClient: the collector's side of the safepoint handshake.
namespace Kevlar.Runtime.Scheduling;

public interface ISafepointClient
{
    /// <summary>Runs on <paramref name="cpu"/> itself as it reaches the
    /// safepoint, before it counts as parked (metal: save its registers and
    /// stack pointer for conservative scanning). The collecting CPU gets this
    /// call too, just before Collect.</summary>
    void OnParking(int cpu);

    /// <summary>Runs on the collecting CPU once every CPU is parked; no handler
    /// frame is live on any CPU until it returns.</summary>
    void Collect();
}

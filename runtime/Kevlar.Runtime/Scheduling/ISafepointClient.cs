// ISafepointClient: the collector's side of the safepoint handshake.
namespace Kevlar.Runtime.Scheduling;

public interface ISafepointClient
{
    /// <summary>Runs on <paramref name="cpu"/> itself as it reaches the
    /// safepoint, before it counts as parked (metal: save its registers and
    /// stack pointer for conservative scanning). The collecting CPU gets this
    /// call too, just before Collect.</summary>
    void OnParking(int cpu);

    /// <summary>Runs on the collecting CPU once every CPU is parked, at its loop's
    /// top or inside a handler waiting for a collection (Scheduler.CollectFromHandler);
    /// no handler runs on any CPU until it returns.</summary>
    void Collect();

    /// <summary>Runs on <paramref name="cpu"/> at the top of each pass of its loop
    /// while it is not parked (no handler frame is live): the collector's work
    /// between pauses, such as a slice of a concurrent mark. Returns true while
    /// the CPU has more of it, so it does not halt.</summary>
    bool Background(int cpu);
}

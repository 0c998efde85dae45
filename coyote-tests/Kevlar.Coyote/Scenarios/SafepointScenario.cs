// TestSafepoint: three CPUs pass a ball around a ring while handlers and the
// host driver request collections, and a sink migrates after every delivery
// (so a request can meet a migration in flight); the driver's second request
// may land during a round. Checks: every CPU parks before Collect, no handler
// runs during Collect, every collection completes and all CPUs resume.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class SafepointScenario
{
    public const int Cpus = 3;
    public const int Hits = 6;

    public static void Run(IActorRuntime runtime)
    {
        var tracker = new HandlerTracker(Cpus);
        var client = new CheckingSafepointClient(Cpus, tracker);
        var w = new World(runtime, Cpus, client);
        var ring = new PingActor[Cpus];
        for (int c = 0; c < Cpus; c++)
        {
            ring[c] = new PingActor(w, c) { Tracker = tracker, RequestEvery = 2 };
            w.Scheduler.Register(ring[c], c);
        }
        for (int c = 0; c < Cpus; c++)
        {
            ring[c].Peer = ring[(c + 1) % Cpus];
        }
        var mover = new SinkActor(w, 50) { MigrateEvery = 1, Tracker = tracker };
        w.Scheduler.Register(mover, 0);
        w.QuiescentCheck = _ => Specification.Assert(client.Collections >= 1,
            "AllCpusResume: no collection completed");
        w.StartCpus();
        MockActor.SendTrackedFromDriver(w, 99, ring[0], 0, Hits - 1);
        w.Scheduler.Safepoint.Request();
        MockActor.SendTrackedFromDriver(w, 98, mover, 0);
        MockActor.SendTrackedFromDriver(w, 98, mover, 1);
        w.Scheduler.Safepoint.Request();
        w.DriverDone();
    }
}

// TestMigration: a sink that moves to the next CPU after every second
// delivery, fed by streams from two other CPUs and by the host driver (whose
// later sends can race a migration's grace period).
// Checks: no duplicate, FIFO per sender across moves, no loss, and (in the
// runtime) delivery only on the current home and forwarding only while the
// old home still forwards.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Scenarios;

public static class MigrationScenario
{
    public const int Cpus = 3;
    public const int PerSender = 3;

    public static void Run(IActorRuntime runtime)
    {
        var w = new World(runtime, Cpus);
        var sink = new SinkActor(w, 100) { MigrateEvery = 2 };
        w.Scheduler.Register(sink, 0);
        var targets = new MockActor[] { sink };
        var s1 = new SourceActor(w, 1, targets, PerSender);
        var s2 = new SourceActor(w, 2, targets, PerSender);
        w.Scheduler.Register(s1, 1);
        w.Scheduler.Register(s2, 2);
        w.StartCpus();
        w.Scheduler.Send(s1, new Kick(0));
        w.Scheduler.Send(s2, new Kick(0));
        for (int i = 0; i < 4; i++)
        {
            MockActor.SendTrackedFromDriver(w, 99, sink, i);
        }
        w.DriverDone();
    }
}

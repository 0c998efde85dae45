// TestIdleWake: two CPUs ping-pong a ball, so each repeatedly goes idle and
// must be woken by the other's send; the host driver also sends into a CPU
// that may be falling asleep. Checks: no CPU halts with mail (liveness), and
// every message is delivered.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Scenarios;

public static class IdleWakeScenario
{
    public const int Cpus = 2;
    public const int Hits = 4;

    public static void Run(IActorRuntime runtime)
    {
        var w = new World(runtime, Cpus);
        var a = new PingActor(w, 0);
        var b = new PingActor(w, 1);
        a.Peer = b;
        b.Peer = a;
        w.Scheduler.Register(a, 0);
        w.Scheduler.Register(b, 1);
        var sink = new SinkActor(w, 2);
        w.Scheduler.Register(sink, 1);
        w.StartCpus();
        MockActor.SendTrackedFromDriver(w, 99, a, 0, Hits - 1);
        MockActor.SendTrackedFromDriver(w, 98, sink, 0);
        w.DriverDone();
    }
}

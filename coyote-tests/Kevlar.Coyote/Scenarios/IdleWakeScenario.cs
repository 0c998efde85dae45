// TestIdleWake: two CPUs ping-pong a ball, so each repeatedly goes idle and
// must be woken by the other's send; the host driver also sends into a CPU
// that may be falling asleep and, after giving way a while, asks for a
// collection (often as both CPUs fall asleep); b asks for one too as it takes
// the last ball. Checks: no CPU halts with mail (liveness), every message is
// delivered, and every collection completes. A second world with one CPU
// then gets a message and, a while later, a request from outside, which may
// arrive as that CPU falls asleep (the one case where a sleeping CPU must see
// the request itself: with more CPUs awake, the collector wakes it).
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Scenarios;

public static class IdleWakeScenario
{
    public const int Cpus = 2;
    public const int Hits = 4;

    /// <summary>Points the driver gives way before its request: it then often
    /// lands while both CPUs are on their way to sleep.</summary>
    public const int DriverDelay = 30;

    /// <summary>Points the driver gives way before its request in the one-CPU world.</summary>
    public const int OneCpuDelay = 8;

    public static void Run(IActorRuntime runtime)
    {
        var w = new World(runtime, Cpus);
        var a = new PingActor(w, 0);
        var b = new PingActor(w, 1);
        a.Peer = b;
        b.Peer = a;
        b.RequestEvery = Hits / 2; // b asks for a collection with the last ball, as a falls asleep
        w.Scheduler.Register(a, 0);
        w.Scheduler.Register(b, 1);
        var sink = new SinkActor(w, 2);
        w.Scheduler.Register(sink, 1);
        w.StartCpus();
        MockActor.SendTrackedFromDriver(w, 99, a, 0, Hits - 1);
        MockActor.SendTrackedFromDriver(w, 98, sink, 0);
        w.DriverYield(IdleWakeScenario.DriverDelay);
        w.Scheduler.Safepoint.Request();
        w.DriverDone();
        RunOneCpu(runtime);
    }

    private static void RunOneCpu(IActorRuntime runtime)
    {
        var w = new World(runtime, 1);
        var sink = new SinkActor(w, 3);
        w.Scheduler.Register(sink, 0);
        w.StartCpus();
        MockActor.SendTrackedFromDriver(w, 97, sink, 0);
        w.DriverYield(OneCpuDelay);
        w.Scheduler.Safepoint.Request();
        w.DriverDone();
    }
}

// TestMailbox: concurrent senders on every CPU (and the host driver) each
// stream numbered messages to a sink on every CPU. Checks: no loss, no
// duplicate, FIFO per sender-receiver pair.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Scenarios;

public static class MailboxScenario
{
    public const int Cpus = 3;
    public const int PerPair = 2;

    public static void Run(IActorRuntime runtime)
    {
        var w = new World(runtime, Cpus);
        var sinks = new MockActor[Cpus];
        for (int c = 0; c < Cpus; c++)
        {
            sinks[c] = new SinkActor(w, 100 + c);
            w.Scheduler.Register(sinks[c], c);
        }
        var sources = new SourceActor[Cpus];
        for (int c = 0; c < Cpus; c++)
        {
            sources[c] = new SourceActor(w, c, sinks, PerPair);
            w.Scheduler.Register(sources[c], c);
        }
        w.StartCpus();
        for (int c = 0; c < Cpus; c++)
        {
            w.Scheduler.Send(sources[c], new Kick(0));
        }
        MockActor.SendTrackedFromDriver(w, 99, sinks[1], 0);
        MockActor.SendTrackedFromDriver(w, 99, sinks[1], 1);
        w.DriverDone();
    }
}

// MockActor: base of the scenarios' kernel actors. Marks the CPU as inside a
// handler and offers an interleave point in the middle of every handler, so
// the explorer can run other CPUs while a handler frame is live.
using Kevlar.Coyote.Harness;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;

namespace Kevlar.Coyote.Mocks;

public abstract class MockActor : Actor
{
    protected MockActor(World world, int id)
    {
        World = world;
        ActorNumber = id;
    }

    protected World World { get; }

    public int ActorNumber { get; }

    public HandlerTracker? Tracker { get; set; }

    protected int Cpu => World.Platform.CurrentCpu;

    protected sealed override void Receive(Message m)
    {
        int cpu = Cpu;
        Tracker?.Enter(cpu);
        InterleaveHook.Point();
        Handle(m);
        Tracker?.Exit(cpu);
    }

    protected abstract void Handle(Message m);

    /// <summary>Sends a ledger-tracked message.</summary>
    protected void SendTracked(MockActor target, int seq, int payload = 0)
    {
        World.Ledger.OnSend(ActorNumber, target.ActorNumber, seq);
        Send(target, new SeqMessage(ActorNumber, target.ActorNumber, seq, payload));
    }

    /// <summary>Sends a ledger-tracked message from outside any CPU.</summary>
    public static void SendTrackedFromDriver(World world, int driverId, MockActor target, int seq, int payload = 0)
    {
        world.Ledger.OnSend(driverId, target.ActorNumber, seq);
        world.Scheduler.Send(target, new SeqMessage(driverId, target.ActorNumber, seq, payload));
    }
}

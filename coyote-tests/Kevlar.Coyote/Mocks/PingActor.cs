// PingActor: bounces a tracked ball (Payload = hits left) to its peer until the count runs out;
// optionally asks for a collection on every RequestEvery-th hit.
using Kevlar.Coyote.Harness;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Coyote.Mocks;

public sealed class PingActor : MockActor
{
    public PingActor(World world, int id) : base(world, id)
    {
    }

    private int _sent;

    public PingActor? Peer { get; set; }

    public int RequestEvery { get; set; }

    public int Hits { get; private set; }

    protected override void Handle(Message m)
    {
        var s = (SeqMessage)m;
        World.Ledger.OnDeliver(s.Sender, ActorNumber, s.Seq);
        Hits++;
        if (RequestEvery > 0 && Hits % RequestEvery == 0)
        {
            World.Scheduler.Safepoint.Request();
        }
        if (s.Payload > 0)
        {
            SendTracked(Peer!, _sent++, s.Payload - 1);
        }
    }
}

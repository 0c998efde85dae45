// PingActor: bounces a ball to its peer until the count runs out.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Support;

public sealed class PingActor : Actor
{
    public PingActor? Peer { get; set; }

    public int Hits { get; private set; }

    public int FinishedOnCpu { get; private set; } = -1;

    protected override void Receive(Message m)
    {
        var b = (BallMessage)m;
        Hits++;
        if (b.Remaining == 0)
        {
            FinishedOnCpu = Scheduler!.Platform.CurrentCpu;
            return;
        }
        Send(Peer!, new BallMessage(b.Remaining - 1));
    }
}

// PingActor: bounces a ball to its peer until the count runs out.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Support;

public sealed class PingActor : Actor
{
    public PingActor? Peer { get; set; }

    public int Hits { get; private set; }

    public int FinishedOnCpu { get; private set; } = -1;

    /// <summary>One PingActor homed on each CPU, each bouncing to the next CPU's.</summary>
    public static PingActor[] Ring(Scheduler s, int cpus)
    {
        var pings = new PingActor[cpus];
        for (int c = 0; c < cpus; c++)
        {
            pings[c] = new PingActor();
            s.Register(pings[c], c);
        }
        for (int c = 0; c < cpus; c++)
        {
            pings[c].Peer = pings[(c + 1) % cpus];
        }
        return pings;
    }

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

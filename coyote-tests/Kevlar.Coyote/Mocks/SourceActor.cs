// SourceActor: on Kick(n) sends one tracked message to every target and, while
// n < Count-1, kicks itself again — a stream that interleaves with whatever
// else its CPU runs.
using Kevlar.Coyote.Harness;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Coyote.Mocks;

public sealed class SourceActor : MockActor
{
    public SourceActor(World world, int id, MockActor[] targets, int count) : base(world, id)
    {
        Targets = targets;
        Count = count;
    }

    public MockActor[] Targets { get; }

    public int Count { get; }

    protected override void Handle(Message m)
    {
        int n = ((Kick)m).N;
        for (int t = 0; t < Targets.Length; t++)
        {
            SendTracked(Targets[t], n);
        }
        if (n + 1 < Count)
        {
            Send(this, new Kick(n + 1));
        }
    }
}

// Messages used by the scheduler tests: each carries its sender and a
// per-sender sequence number so receivers can check FIFO per pair.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Support;

public sealed class SeqMessage : Message
{
    public SeqMessage(int sender, int seq)
    {
        Sender = sender;
        Seq = seq;
    }

    public int Sender { get; }

    public int Seq { get; }
}

public sealed class BallMessage : Message
{
    public BallMessage(int remaining) => Remaining = remaining;

    public int Remaining { get; }
}

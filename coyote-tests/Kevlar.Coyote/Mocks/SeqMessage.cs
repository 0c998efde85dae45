// Messages of the mock kernel actors. SeqMessage is tracked by the Ledger;
// Kick carries a counter and is not tracked.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Coyote.Mocks;

public sealed class SeqMessage : Message
{
    public SeqMessage(int sender, int receiver, int seq, int payload = 0)
    {
        Sender = sender;
        Receiver = receiver;
        Seq = seq;
        Payload = payload;
    }

    public int Sender { get; }

    public int Receiver { get; }

    public int Seq { get; }

    /// <summary>Scenario data (a ping's remaining hits).</summary>
    public int Payload { get; }
}

public sealed class Kick : Message
{
    public Kick(int n) => N = n;

    public int N { get; }
}

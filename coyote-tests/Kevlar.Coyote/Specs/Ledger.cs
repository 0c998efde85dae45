// Ledger: the specification's record of every message a scenario sends and
// every delivery, per sender-receiver pair. Deliveries are checked at once
// (NoDuplicate, FifoPerPair); losses only at quiescence (NoLoss), because a
// gap may still be filled by a message that is merely late.
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Specs;

public sealed class Ledger
{
    private readonly Dictionary<(int Sender, int Receiver), Pair> _pairs = new();

    public int Sent { get; private set; }

    public int Delivered { get; private set; }

    public int Outstanding => Sent - Delivered;

    public void OnSend(int sender, int receiver, int seq)
    {
        Get(sender, receiver).Sent++;
        Sent++;
    }

    public void OnDeliver(int sender, int receiver, int seq)
    {
        Pair p = Get(sender, receiver);
        Specification.Assert(p.Seen.Add(seq),
            "NoDuplicate: a message was delivered twice");
        Specification.Assert(seq > p.MaxSeen,
            "FifoPerPair: a receiver got a sender's messages out of send order");
        p.MaxSeen = seq;
        Delivered++;
    }

    /// <summary>True when every sent message was delivered.</summary>
    public bool AllDelivered()
    {
        foreach (var p in _pairs.Values)
        {
            if (p.Seen.Count != p.Sent)
            {
                return false;
            }
        }
        return true;
    }

    private Pair Get(int sender, int receiver)
    {
        if (!_pairs.TryGetValue((sender, receiver), out Pair? p))
        {
            p = new Pair();
            _pairs[(sender, receiver)] = p;
        }
        return p;
    }

    private sealed class Pair
    {
        public readonly HashSet<int> Seen = new();
        public int Sent;
        public int MaxSeen = -1;
    }
}

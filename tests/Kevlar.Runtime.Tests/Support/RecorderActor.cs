// RecorderActor: records every message it gets, the CPU it ran on, and fails
// on a per-sender sequence gap, duplicate or reorder.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Support;

public sealed class RecorderActor : Actor
{
    private readonly Dictionary<int, int> _lastSeq = new();

    public List<(int Sender, int Seq, int Cpu)> Received { get; } = new();

    public Action<RecorderActor, SeqMessage>? OnReceive { get; set; }

    public int Violations { get; private set; }

    protected override void Receive(Message m)
    {
        var s = (SeqMessage)m;
        int expect = _lastSeq.TryGetValue(s.Sender, out int last) ? last + 1 : 0;
        if (s.Seq != expect)
        {
            Violations++;
        }
        _lastSeq[s.Sender] = s.Seq;
        Received.Add((s.Sender, s.Seq, Scheduler!.Platform.CurrentCpu));
        OnReceive?.Invoke(this, s);
    }

    /// <summary>Lets a test's callback send through the actor's scheduler.</summary>
    public void SendFrom(Actor target, Message m) => Send(target, m);
}

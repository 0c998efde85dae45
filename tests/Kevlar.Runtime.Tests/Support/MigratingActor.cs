// MigratingActor: a recorder that moves itself to the next CPU every
// `Every` messages, from inside its own handler.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Tests.Support;

public sealed class MigratingActor : Actor
{
    private readonly Dictionary<int, int> _lastSeq = new();

    public int Every { get; set; } = 3;

    public List<(int Sender, int Seq, int Cpu)> Received { get; } = new();

    public int Violations { get; private set; }

    public int Migrations { get; private set; }

    protected override void Receive(Message m)
    {
        var s = (SeqMessage)m;
        int expect = _lastSeq.TryGetValue(s.Sender, out int last) ? last + 1 : 0;
        if (s.Seq != expect)
        {
            Violations++;
        }
        _lastSeq[s.Sender] = s.Seq;
        int cpu = Scheduler!.Platform.CurrentCpu;
        Received.Add((s.Sender, s.Seq, cpu));
        if (Received.Count % Every == 0 && Scheduler.Migrate(this, (cpu + 1) % Scheduler.CpuCount))
        {
            Migrations++;
        }
    }
}

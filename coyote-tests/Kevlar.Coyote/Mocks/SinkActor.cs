// SinkActor: receives tracked messages and reports each delivery to the
// ledger; optionally migrates to the next CPU every MigrateEvery deliveries
// (on its first delivery it also asks to move to its own CPU, which the
// scheduler refuses).
using Kevlar.Coyote.Harness;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Coyote.Mocks;

public sealed class SinkActor : MockActor
{
    private int _delivered;

    public SinkActor(World world, int id) : base(world, id)
    {
    }

    public int MigrateEvery { get; set; }

    public int Migrations { get; private set; }

    protected override void Handle(Message m)
    {
        var s = (SeqMessage)m;
        World.Ledger.OnDeliver(s.Sender, ActorNumber, s.Seq);
        _delivered++;
        if (MigrateEvery > 0 && _delivered == 1)
        {
            World.Scheduler.Migrate(this, Cpu);
        }
        if (MigrateEvery > 0 && _delivered % MigrateEvery == 0)
        {
            int next = (Cpu + 1) % World.CpuCount;
            if (World.Scheduler.Migrate(this, next))
            {
                Migrations++;
            }
        }
    }
}

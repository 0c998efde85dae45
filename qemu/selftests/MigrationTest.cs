// Actor migration on real CPUs: a wandering actor moves to the next CPU every
// few hundred messages while a sender on every CPU streams numbered messages
// at it, a batch at a time (the wanderer acknowledges each batch, so the
// backlog stays small and moves happen often). Every message must arrive
// once, in order per sender, and be handled on the wanderer's current home.
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class MigrationTest : SelfTest
{
    private const int MessagesPerSender = 20000;
    private const int Batch = 50;
    private const int MigrateEvery = 400;

    private sealed class Numbered : Message
    {
        public readonly int Sender, Number;
        public Numbered(int sender, int number) { Sender = sender; Number = number; }
    }

    private sealed class Go : Message { }

    private sealed class Wanderer : Actor
    {
        private readonly MigrationTest _test;
        private readonly Scheduler _scheduler;
        private readonly int[] _next;
        private readonly bool[] _visited;
        public Sender[]? Senders;
        private int _received, _outOfOrder, _offHome, _migrations, _nextMove = MigrateEvery;

        public Wanderer(MigrationTest test, Scheduler scheduler)
        {
            _test = test;
            _scheduler = scheduler;
            _next = new int[scheduler.CpuCount];
            _visited = new bool[scheduler.CpuCount];
        }

        protected internal override void Receive(Message m)
        {
            var n = (Numbered)m;
            if (n.Number != _next[n.Sender]) _outOfOrder++;
            _next[n.Sender] = n.Number + 1;
            if (CpuLocal.CurrentIndex != Home) _offHome++;
            _visited[CpuLocal.CurrentIndex] = true;
            _received++;
            if (n.Number % Batch == Batch - 1) Send(Senders![n.Sender], new Go());
            // Once due, try on every message: Migrate refuses while the last move is still settling.
            if (_received >= _nextMove && _scheduler.CpuCount > 1 && _scheduler.Migrate(this, (Home + 1) % _scheduler.CpuCount))
            {
                _migrations++;
                _nextMove = _received + MigrateEvery;
            }
            if (_received == MessagesPerSender * _scheduler.CpuCount)
            {
                int visited = 0;
                for (int i = 0; i < _visited.Length; i++) if (_visited[i]) visited++;
                _test.Report(_received, _outOfOrder, _offHome, _migrations, visited);
            }
        }
    }

    private sealed class Sender : Actor
    {
        private readonly Actor _target;
        private readonly int _id;
        private int _sent;
        public Sender(Actor target, int id) { _target = target; _id = id; }

        protected internal override void Receive(Message m)
        {
            for (int i = 0; i < Batch && _sent < MessagesPerSender; i++) Send(_target, new Numbered(_id, _sent++));
        }
    }

    public override string Name => "migration";

    public override void Start(Scheduler scheduler)
    {
        var wanderer = new Wanderer(this, scheduler);
        scheduler.Register(wanderer, 0);
        wanderer.Senders = new Sender[scheduler.CpuCount];
        for (int cpu = 0; cpu < scheduler.CpuCount; cpu++)
        {
            wanderer.Senders[cpu] = new Sender(wanderer, cpu);
            scheduler.Register(wanderer.Senders[cpu], cpu);
        }
        for (int cpu = 0; cpu < scheduler.CpuCount; cpu++) scheduler.Send(wanderer.Senders[cpu], new Go());
    }

    private void Report(int received, int outOfOrder, int offHome, int migrations, int visited)
    {
        Finish(outOfOrder == 0 && offHome == 0, string.Concat(
            string.Concat(Out.Dec(received), " messages from every CPU, "),
            string.Concat(Out.Dec(migrations), " migrations, visited ", Out.Dec(visited)),
            string.Concat(" CPUs, ", Out.Dec(outOfOrder), " out of order, "),
            string.Concat(Out.Dec(offHome), " handled off home")));
    }
}

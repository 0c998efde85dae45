// Live data must survive collections untouched: an actor on every CPU keeps a
// table of nodes (each with a payload array and a checksum), replaces a tenth
// of them and makes garbage every round, and a collection runs between
// rounds. A node freed while still reachable would be reused and fail its
// checksum; the live heap must also stay bounded round after round.
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class HeapSurvivalTest : SelfTest
{
    private const int Rounds = 10;
    private const int NodesPerCpu = 5000;

    private sealed class Node
    {
        public readonly int Key;
        public readonly int[] Payload;
        public readonly string Label;
        public Node(int key)
        {
            Key = key;
            Payload = new int[8 + key % 8];
            for (int i = 0; i < Payload.Length; i++) Payload[i] = key * 31 + i;
            Label = string.Concat("node-", Out.Dec(key));
        }
        public bool Intact()
        {
            if (Payload.Length != 8 + Key % 8) return false;
            for (int i = 0; i < Payload.Length; i++) if (Payload[i] != Key * 31 + i) return false;
            return Label == string.Concat("node-", Out.Dec(Key));
        }
    }

    private sealed class Round : Message
    {
        public readonly int Number;
        public Round(int number) { Number = number; }
    }

    private sealed class RoundDone : Message
    {
        public readonly int Damaged;
        public RoundDone(int damaged) { Damaged = damaged; }
    }

    private sealed class Keeper : Actor
    {
        private readonly Actor _coordinator;
        private readonly Node[] _nodes = new Node[NodesPerCpu];
        private readonly int _base;
        public Keeper(Actor coordinator, int cpu)
        {
            _coordinator = coordinator;
            _base = cpu * 1_000_000;
        }

        protected internal override void Receive(Message m)
        {
            int round = ((Round)m).Number;
            int damaged = 0;
            for (int i = 0; i < _nodes.Length; i++)
            {
                if (_nodes[i] != null && !_nodes[i].Intact()) damaged++;
                if (_nodes[i] == null || (i + round) % 10 == 0) _nodes[i] = new Node(_base + round * NodesPerCpu + i);
                var garbage = new int[16];
                garbage[0] = i;
            }
            Send(_coordinator, new RoundDone(damaged));
        }
    }

    private sealed class Coordinator : Actor
    {
        private readonly HeapSurvivalTest _test;
        private readonly Scheduler _scheduler;
        private Keeper[]? _keepers;
        private int _round, _waiting, _damaged;
        private ulong _firstLive, _maxLive;

        public Coordinator(HeapSurvivalTest test, Scheduler scheduler) { _test = test; _scheduler = scheduler; }

        protected internal override void Receive(Message m)
        {
            if (m is RoundDone done)
            {
                _damaged += done.Damaged;
                if (--_waiting == 0) Collector.Collect(_scheduler, this);
                return;
            }
            if (m is AfterCollection ac)
            {
                if (!Collector.Finished(_scheduler, this, ac)) return;
                ulong live = GcHeap.LiveBytesAfterLastCollection;
                if (_round == 1) _firstLive = live;
                if (live > _maxLive) _maxLive = live;
            }
            if (_keepers == null)
            {
                _keepers = new Keeper[_scheduler.CpuCount];
                for (int i = 0; i < _keepers.Length; i++) { _keepers[i] = new Keeper(this, i); _scheduler.Register(_keepers[i], i); }
            }
            if (_round == Rounds) { _test.Report(_damaged, _firstLive, _maxLive); return; }
            _round++;
            _waiting = _keepers.Length;
            for (int i = 0; i < _keepers.Length; i++) _scheduler.Send(_keepers[i], new Round(_round));
        }
    }

    public override string Name => "heap-survival";

    public override void Start(Scheduler scheduler)
    {
        var c = new Coordinator(this, scheduler);
        scheduler.Register(c, 0);
        scheduler.Send(c, new Round(0));
    }

    private void Report(int damaged, ulong firstLive, ulong maxLive)
    {
        // Every round keeps the same number of nodes alive, so the live heap stays put (allow 1/8 for fragmentation).
        bool bounded = maxLive <= firstLive + firstLive / 8;
        Finish(damaged == 0 && bounded, string.Concat(
            string.Concat(Out.Dec(Rounds), " rounds x ", Out.Dec(NodesPerCpu), " live nodes per CPU, "),
            string.Concat(Out.Dec(damaged), " damaged; live after first round "),
            string.Concat(Out.KiB(firstLive), ", at most "), Out.KiB(maxLive)));
    }
}

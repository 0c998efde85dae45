// Builds large cyclic object graphs on every CPU at once (rings of nodes with
// back and cross links and a payload each), checks them, drops them, collects,
// and repeats. Cycles are garbage like anything else: heap use after each
// round's collection must stay at the baseline.
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class CyclicGraphsTest : SelfTest
{
    private const int Rounds = 8;
    private const int NodesPerCpu = 20000;
    private const ulong FlatSlackBytes = 512 * 1024;

    private sealed class Node
    {
        public Node? Next, Prev, Cross;
        public byte[]? Payload;
        public int Id;
    }

    private sealed class Build : Message { }
    private sealed class Built : Message
    {
        public readonly bool Ok;
        public Built(bool ok) { Ok = ok; }
    }

    private sealed class Builder : Actor
    {
        private readonly Actor _coordinator;
        public Builder(Actor coordinator) { _coordinator = coordinator; }

        protected internal override void Receive(Message m) => Send(_coordinator, new Built(BuildAndWalk()));

        // Returns whether the ring walks back to its start through every node.
        private static bool BuildAndWalk()
        {
            Node first = new Node();
            first.Payload = new byte[64];
            Node last = first;
            for (int i = 1; i < NodesPerCpu; i++)
            {
                var n = new Node { Id = i, Prev = last, Payload = new byte[64] };
                last.Next = n;
                n.Cross = (i % 7 == 0) ? first : last.Prev;
                last = n;
            }
            last.Next = first;
            first.Prev = last;
            int seen = 0;
            Node at = first;
            do { seen++; at = at.Next!; } while (at != first && seen <= NodesPerCpu);
            return seen == NodesPerCpu;
        }
    }

    private sealed class Coordinator : Actor
    {
        private readonly CyclicGraphsTest _test;
        private readonly Scheduler _scheduler;
        private Builder[]? _builders;
        private int _round, _waiting;
        private bool _allBuilt = true, _started;
        private ulong _baseline, _maxAfter;

        public Coordinator(CyclicGraphsTest test, Scheduler scheduler) { _test = test; _scheduler = scheduler; }

        protected internal override void Receive(Message m)
        {
            if (m is Built b)
            {
                _allBuilt &= b.Ok;
                if (--_waiting == 0) Collector.Collect(_scheduler, this);
                return;
            }
            if (m is AfterCollection ac && !Collector.Finished(_scheduler, this, ac)) return;
            if (!_started) { _started = true; Collector.Collect(_scheduler, this); return; }
            if (_builders == null)
            {
                _baseline = GcHeap.UsedBytes;
                _builders = new Builder[_scheduler.CpuCount];
                for (int i = 0; i < _builders.Length; i++) { _builders[i] = new Builder(this); _scheduler.Register(_builders[i], i); }
            }
            else if (GcHeap.UsedBytes > _maxAfter) _maxAfter = GcHeap.UsedBytes;
            if (_round == Rounds) { _test.Report(_allBuilt, _baseline, _maxAfter); return; }
            _round++;
            _waiting = _builders.Length;
            for (int i = 0; i < _builders.Length; i++) _scheduler.Send(_builders[i], new Build());
        }
    }

    public override string Name => "cyclic-graphs";

    public override void Start(Scheduler scheduler)
    {
        var c = new Coordinator(this, scheduler);
        scheduler.Register(c, 0);
        scheduler.Send(c, new Build());
    }

    private void Report(bool built, ulong baseline, ulong maxAfter)
    {
        bool flat = maxAfter <= baseline + FlatSlackBytes;
        Finish(built && flat, string.Concat(
            string.Concat(Out.Dec(Rounds), " rounds x ", Out.Dec(NodesPerCpu), " nodes per CPU; heap before "),
            string.Concat(Out.KiB(baseline), " after (max over rounds) ", Out.KiB(maxAfter)),
            built ? "" : "; a graph walk failed"));
    }
}

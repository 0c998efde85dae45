// Collector pauses with a live heap: an actor on CPU 0 builds a set amount of
// small objects (32-byte nodes in chains of 64, 3.5, 10 or 100 MB by
// kevlar.gclive=KIB), then a churner on every CPU replaces the heads of its
// share of the chains now and then while it churns through garbage, until the
// heap has collected by itself a set number of times (kevlar.gcrounds=N). Then
// it prints the pause table of those collections (GcPauseTable, each line
// prefixed "gc-pauses: ") and checks that every live node is intact. Last, with
// the churn stopped, two more collections run (concurrently unless
// kevlar.gc=stw): whatever the churn left unreachable must be gone by then, so
// the live figure may exceed the kept nodes and the heap measured (by a
// collection) before them by an eighth at most. The pause figures are printed, not asserted.
using System.Threading;
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class GcPausesTest : SelfTest
{
    public const long DefaultLiveKiB = 10 * 1024;
    public const int DefaultRounds = 20;
    private const int NodeBytes = 32;       // header, MethodTable, Next, Value: one 32-byte cell
    private const int ChainLength = 64;
    private const int ChainsPerArray = 256;
    private const int ChainsPerBuildStep = 512; // 1 MiB of nodes per message: the safepoint stays near
    private const int GarbagePerChurn = 64;

    private sealed class Node
    {
        public Node? Next;
        public long Value;
    }

    private sealed class Step : Message { }
    private sealed class Churn : Message { }
    private sealed class Stopped : Message { }

    private sealed class Churner : Actor
    {
        private readonly Coordinator _coordinator;
        private readonly int _cpu, _cpus;
        private int _replaceAt;
        public Churner(Coordinator c, int cpu, int cpus) { _coordinator = c; _cpu = cpu; _cpus = cpus; }

        protected internal override void Receive(Message m)
        {
            if (Volatile.Read(ref _coordinator.Stop) != 0) { Send(_coordinator, new Stopped()); return; }
            Node? garbage = null;
            for (int i = 0; i < GarbagePerChurn; i++) garbage = new Node { Next = i % 8 == 0 ? null : garbage, Value = i };
            // This CPU's share of the chains: those whose number is the CPU's modulo the CPU count.
            int chain = _cpu + _cpus * _replaceAt++;
            if (chain >= _coordinator.ChainCount) { _replaceAt = 0; chain = _cpu; }
            if (chain < _coordinator.ChainCount) _coordinator.ReplaceHead(chain);
            Send(this, new Churn());
        }
    }

    private sealed class Coordinator : Actor
    {
        public int Stop;
        private readonly GcPausesTest _test;
        private readonly Scheduler _scheduler;
        private Node?[][]? _chains;
        private int _built, _stopped, _finalCollections;
        private bool _churning;
        private long _collectionsBefore, _pauses;
        private ulong _liveBefore;

        public Coordinator(GcPausesTest test, Scheduler scheduler) { _test = test; _scheduler = scheduler; }

        // At least one chain.
        public int ChainCount => _test._liveKiB * 1024 / NodeBytes / ChainLength > 0 ? (int)(_test._liveKiB * 1024 / NodeBytes / ChainLength) : 1;

        protected internal override void Receive(Message m)
        {
            if (m is AfterCollection ac)
            {
                if (!Collector.Finished(_scheduler, this, ac)) return;
                if (_chains != null) { AfterFinalCollection(); return; }
                // The heap before the nodes, measured by a collection of its own.
                _liveBefore = GcHeap.LiveBytesAfterLastCollection;
                _chains = new Node?[(ChainCount + ChainsPerArray - 1) / ChainsPerArray][];
            }
            if (m is Stopped) { if (++_stopped == _scheduler.CpuCount) Checked(); return; }
            if (_chains == null) { Collector.Collect(_scheduler, this); return; }
            if (_built < ChainCount) { BuildSome(); Send(this, new Step()); return; }
            if (!_churning) { StartChurn(); return; }
            if (GcHeap.Collections - _collectionsBefore >= _test._rounds) { Volatile.Write(ref Stop, 1); return; }
            Send(this, new Step());
        }

        private void BuildSome()
        {
            int end = _built + ChainsPerBuildStep < ChainCount ? _built + ChainsPerBuildStep : ChainCount;
            for (; _built < end; _built++)
            {
                Node?[] array = _chains![_built / ChainsPerArray] ??= new Node?[ChainsPerArray];
                Node? head = null;
                for (int i = ChainLength - 1; i >= 0; i--) head = new Node { Next = head, Value = (long)_built * ChainLength + i };
                array[_built % ChainsPerArray] = head;
            }
        }

        private void StartChurn()
        {
            _churning = true;
            _collectionsBefore = GcHeap.Collections;
            for (int cpu = 0; cpu < _scheduler.CpuCount; cpu++)
            {
                var c = new Churner(this, cpu, _scheduler.CpuCount);
                _scheduler.Register(c, cpu);
                _scheduler.Send(c, new Churn());
            }
            Send(this, new Step());
        }

        // The old head becomes garbage; its replacement is new and carries the same value. Each chain
        // belongs to one churner, so no two CPUs replace the same head.
        public void ReplaceHead(int chain)
        {
            Node?[] array = _chains![chain / ChainsPerArray];
            Node old = array[chain % ChainsPerArray]!;
            array[chain % ChainsPerArray] = new Node { Next = old.Next, Value = old.Value };
        }

        // The churn is over: count the pauses it saw, then collect twice more.
        private void Checked()
        {
            _pauses = GcHeap.Collections - _collectionsBefore;
            Collector.CollectConcurrently(_scheduler, this);
        }

        private void AfterFinalCollection()
        {
            if (++_finalCollections < 2) { Collector.CollectConcurrently(_scheduler, this); return; }
            Finish();
        }

        private void Finish()
        {
            long bad = 0;
            for (int c = 0; c < ChainCount; c++)
            {
                Node? n = _chains![c / ChainsPerArray][c % ChainsPerArray];
                for (int i = 0; i < ChainLength; i++, n = n!.Next)
                    if (n == null || n.Value != (long)c * ChainLength + i) { bad++; break; }
            }
            _test.Report(bad, _pauses, _liveBefore, GcHeap.LiveBytesAfterLastCollection);
            _chains = null;
        }
    }

    private readonly long _liveKiB;
    private readonly int _rounds;

    public GcPausesTest(long liveKiB, int rounds)
    {
        _liveKiB = liveKiB;
        _rounds = rounds < 1 ? 1 : rounds > GcHeap.PauseRingSize ? GcHeap.PauseRingSize : rounds;
    }

    public override string Name => "gc-pauses";

    public override void Start(Scheduler scheduler)
    {
        var c = new Coordinator(this, scheduler);
        scheduler.Register(c, 0);
        scheduler.Send(c, new Step());
    }

    private void Report(long badChains, long churnCollections, ulong liveBefore, ulong liveAfter)
    {
        // The churn's collections: the last two are the final ones.
        var all = new GcPause[_rounds + 2];
        int copied = GcHeap.CopyPauses(all);
        int n = copied - 2 < (int)churnCollections ? copied - 2 : (int)churnCollections;
        if (n < 0) n = 0;
        var pauses = new GcPause[n];
        for (int i = 0; i < n; i++) pauses[i] = all[copied - 2 - n + i];
        ulong kept = (ulong)_liveKiB * 1024;
        bool bounded = liveAfter <= liveBefore + kept + (liveBefore + kept) / 8;
        string table = GcPauseTable.Text(pauses, n, GcHeap.Collections);
        for (int at = 0; at < table.Length;)
        {
            int end = table.IndexOf('\n', at);
            if (end < 0) end = table.Length;
            Out.Line(string.Concat("gc-pauses: ", table.Substring(at, end - at)));
            at = end + 1;
        }
        const int pause = GcPauseTable.PauseColumn;
        Finish(badChains == 0 && n > 0 && bounded, string.Concat(
            string.Concat(Out.Dec(_liveKiB), " KiB kept live, ", Out.Dec(n), " collections; pause us median "),
            n == 0 ? "-" : string.Concat(Out.Dec((long)GcPauseTable.Ranked(pauses, n, pause, GcPauseTable.MedianRank(n))), " p99 ",
                Out.Dec((long)GcPauseTable.Ranked(pauses, n, pause, GcPauseTable.P99Rank(n))), string.Concat(" max ", Out.Dec((long)GcPauseTable.Ranked(pauses, n, pause, n)))),
            string.Concat(badChains == 0 ? "" : string.Concat(", ", Out.Dec(badChains), " chains damaged"),
                "; live after two more collections ", Out.KiB(liveAfter), " (before the nodes ", string.Concat(Out.KiB(liveBefore), ")"),
                bounded ? "" : ": garbage survived")));
    }
}

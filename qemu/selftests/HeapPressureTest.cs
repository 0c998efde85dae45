// Collection under pressure: an actor keeps about 40% of the heap live in
// 64 KiB arrays while every CPU churns through three heaps' worth of
// garbage in large and small pieces. Allocation cannot collect by itself, so
// the heap must ask for collections early enough that it never runs out.
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class HeapPressureTest : SelfTest
{
    private const int Piece = 60 * 1024;
    private const int PiecesPerMessage = 16;

    private sealed class Churn : Message { }
    private sealed class Churned : Message { }

    private sealed class Churner : Actor
    {
        private readonly Actor _coordinator;
        private long _left;
        public Churner(Actor coordinator, long bytes) { _coordinator = coordinator; _left = bytes; }

        protected internal override void Receive(Message m)
        {
            for (int i = 0; i < PiecesPerMessage; i++)
            {
                byte[] garbage = new byte[i % 4 == 0 ? Piece : 200];
                garbage[garbage.Length - 1] = (byte)i;
            }
            _left -= (long)Piece * PiecesPerMessage / 4 + 200L * PiecesPerMessage;
            if (_left > 0) Send(this, new Churn());
            else Send(_coordinator, new Churned());
        }
    }

    private sealed class Coordinator : Actor
    {
        private readonly HeapPressureTest _test;
        private readonly Scheduler _scheduler;
        private byte[][]? _live;
        private int _waiting;
        private long _collectionsBefore;

        public Coordinator(HeapPressureTest test, Scheduler scheduler) { _test = test; _scheduler = scheduler; }

        protected internal override void Receive(Message m)
        {
            if (m is Churned)
            {
                if (--_waiting > 0) return;
                bool intact = true;
                for (int i = 0; i < _live!.Length; i++) intact &= _live[i][0] == (byte)i && _live[i][Piece - 1] == (byte)(i >> 8);
                _test.Report(intact, (ulong)_live.Length * Piece, GcHeap.Collections - _collectionsBefore);
                _live = null;
                return;
            }
            ulong heap = GcHeap.RegionEnd - GcHeap.RegionStart;
            ulong liveBytes = heap * 2 / 5 < (64UL << 20) ? heap * 2 / 5 : 64UL << 20;
            _live = new byte[(int)(liveBytes / Piece)][];
            for (int i = 0; i < _live.Length; i++)
            {
                _live[i] = new byte[Piece];
                _live[i][0] = (byte)i;
                _live[i][Piece - 1] = (byte)(i >> 8);
            }
            _collectionsBefore = GcHeap.Collections;
            long churn = (long)(heap * 3 < (512UL << 20) ? heap * 3 : 512UL << 20) / _scheduler.CpuCount;
            _waiting = _scheduler.CpuCount;
            for (int cpu = 0; cpu < _scheduler.CpuCount; cpu++)
            {
                var c = new Churner(this, churn);
                _scheduler.Register(c, cpu);
                _scheduler.Send(c, new Churn());
            }
        }
    }

    public override string Name => "heap-pressure";

    public override void Start(Scheduler scheduler)
    {
        var c = new Coordinator(this, scheduler);
        scheduler.Register(c, 0);
        scheduler.Send(c, new Churn());
    }

    private void Report(bool intact, ulong live, long collections)
    {
        Finish(intact && collections > 0, string.Concat(
            string.Concat(Out.KiB(live), " live of a "),
            string.Concat(Out.KiB(GcHeap.RegionEnd - GcHeap.RegionStart), " heap, "),
            string.Concat(Out.Dec(collections), " collections", intact ? "" : ", live data damaged")));
    }
}

// One handler outruns the collector: while every other CPU churns garbage, a
// single message on CPU 0 keeps a quarter of the heap live and allocates
// twice the heap's size of garbage before it returns. Its CPU never comes
// back to its loop's safepoint meanwhile, so the collections its allocations
// ask for can only run if the allocation that finds the heap full takes part
// in the round where it stands (GcHeap.AllocateAfterCollecting); the live
// pieces must come through those collections intact.
using System.Threading;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class HeapOutrunTest : SelfTest
{
    private const int Piece = 60 * 1024;

    private sealed class Go : Message { }
    private sealed class Done : Message { }

    // Churns small garbage on its CPU until the outrunner is done, so that other CPUs are in handlers,
    // idle or parked in any mix when the rounds come.
    private sealed class Churner : Actor
    {
        private readonly Outrunner _outrunner;
        public Churner(Outrunner outrunner) { _outrunner = outrunner; }

        protected internal override void Receive(Message m)
        {
            for (int i = 0; i < 64; i++)
            {
                byte[] garbage = new byte[i % 8 == 0 ? 4096 : 100];
                garbage[0] = (byte)i;
            }
            if (!_outrunner.Finished) Send(this, new Go());
        }
    }

    private sealed class Outrunner : Actor
    {
        private readonly HeapOutrunTest _test;
        private readonly Scheduler _scheduler;
        public volatile bool Finished;

        public Outrunner(HeapOutrunTest test, Scheduler scheduler) { _test = test; _scheduler = scheduler; }

        protected internal override void Receive(Message m)
        {
            for (int cpu = 1; cpu < _scheduler.CpuCount; cpu++)
            {
                var c = new Churner(this);
                _scheduler.Register(c, cpu);
                _scheduler.Send(c, new Go());
            }
            ulong heap = GcHeap.RegionEnd - GcHeap.RegionStart;
            int liveCount = (int)(heap / 4 / Piece);
            // Read as volatile: the compiler assumes allocation helpers write no static field, and would
            // otherwise read the counter once for both.
            long collectionsBefore = Volatile.Read(ref GcHeap.Collections);
            var live = new byte[liveCount][];
            ulong garbage = 0;
            for (int i = 0; garbage < 2 * heap; i++)
            {
                byte[] piece = new byte[i % 2 == 0 ? Piece : 300];
                piece[piece.Length - 1] = (byte)i;
                if (i % 2 == 0 && i / 2 < liveCount)
                {
                    piece[0] = (byte)(i / 2);
                    live[i / 2] = piece;
                }
                else
                {
                    garbage += (ulong)piece.Length;
                }
            }
            bool intact = true;
            for (int i = 0; i < liveCount; i++) intact &= live[i][0] == (byte)i && live[i][Piece - 1] == (byte)(2 * i);
            long collections = Volatile.Read(ref GcHeap.Collections) - collectionsBefore;
            Finished = true;
            _test.Report(intact, (ulong)liveCount * Piece, garbage, heap, collections);
        }
    }

    public override string Name => "heap-outrun";

    public override void Start(Scheduler scheduler)
    {
        var o = new Outrunner(this, scheduler);
        scheduler.Register(o, 0);
        scheduler.Send(o, new Go());
    }

    private void Report(bool intact, ulong live, ulong garbage, ulong heap, long collections)
    {
        Finish(intact && collections > 0, string.Concat(
            string.Concat("one handler kept ", Out.KiB(live), " live and dropped "),
            string.Concat(Out.KiB(garbage), " in a "),
            string.Concat(Out.KiB(heap), " heap, "),
            string.Concat(Out.Dec(collections), " collections", intact ? "" : ", live data damaged")));
    }
}

// Async methods on real CPUs (Kevlar.Runtime.Async): the coordinator's own
// steps are one async method. (1) Parked methods, two levels deep, wait on
// events while garbage is made and a collection runs; resumed afterwards they
// must finish with the right values. (2) A client on every CPU makes awaited
// request/reply round trips to a server on the next CPU, checking every reply
// and that it resumed on its home CPU, while a collection runs in the middle.
// (3) One client on CPU 0 and its server on the last CPU alone, timed.
using System;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class AsyncAwaitTest : SelfTest
{
    private const int RoundTrips = 10000;
    private const int Parked = 64;
    private const int ChurnObjects = 100000;

    private sealed class Request : Message
    {
        public readonly Actor ReplyTo;
        public readonly int Value;
        public Request(Actor replyTo, int value) { ReplyTo = replyTo; Value = value; }
    }

    private sealed class Reply : Message
    {
        public readonly int Value;
        public Reply(int value) { Value = value; }
    }

    private sealed class Begin : Message { }

    private sealed class ClientDone : Message
    {
        public readonly int Wrong;
        public ClientDone(int wrong) { Wrong = wrong; }
    }

    private static int Answer(int value) => value * 7 + 3;

    private sealed class Server : Actor
    {
        protected internal override void Receive(Message m)
        {
            var r = (Request)m;
            Send(r.ReplyTo, new Reply(Answer(r.Value)));
        }
    }

    // Each round trip is `await Call(i)`: the reply's handler sets _reply, which resumes Call
    // and, through its task, CallMany.
    private sealed class Client : Actor
    {
        private readonly Actor _coordinator, _server;
        private readonly KernelEvent<int> _reply;
        private readonly Action<int> _done;

        public Client(Actor coordinator, Actor server)
        {
            _coordinator = coordinator;
            _server = server;
            _reply = new KernelEvent<int>(this);
            _done = Done;
        }

        protected internal override void Receive(Message m)
        {
            if (m is Reply r) { _reply.Set(r.Value); return; }
            KernelTask<int> run = CallMany(RoundTrips);
            if (!run.OnCompleted(_done)) Done(run.Result);
        }

        private void Done(int wrong) => Send(_coordinator, new ClientDone(wrong));

        private async KernelTask<int> Call(int value)
        {
            _reply.Reset();
            Send(_server, new Request(this, value));
            return await _reply;
        }

        // Returns how many replies were wrong or resumed off this actor's home CPU.
        private async KernelTask<int> CallMany(int count)
        {
            int wrong = 0;
            for (int i = 0; i < count; i++)
            {
                int r = await Call(i);
                if (r != Answer(i) || CpuLocal.CurrentIndex != Home) wrong++;
            }
            return wrong;
        }
    }

    private sealed class Coordinator : Actor
    {
        private readonly AsyncAwaitTest _test;
        private readonly Scheduler _scheduler;
        private readonly KernelEvent<long> _collected;
        private readonly KernelEvent<int> _clientsDone;
        private readonly object[] _ring = new object[256];
        private int _pending, _wrong;

        public Coordinator(AsyncAwaitTest test, Scheduler scheduler)
        {
            _test = test;
            _scheduler = scheduler;
            _collected = new KernelEvent<long>(this);
            _clientsDone = new KernelEvent<int>(this);
        }

        protected internal override void Receive(Message m)
        {
            if (m is AfterCollection ac)
            {
                if (Collector.Finished(_scheduler, this, ac)) _collected.Set(GcHeap.Collections);
                return;
            }
            if (m is ClientDone d)
            {
                _wrong += d.Wrong;
                if (--_pending == 0) _clientsDone.Set(_wrong);
                return;
            }
            // The method reports through _test.Report as its last step; nothing waits for its task.
            RunAsync();
        }

        private async KernelTask RunAsync()
        {
            long collectionsBefore = GcHeap.Collections;
            int parkedWrong = await ParkAcrossCollection();
            int n = _scheduler.CpuCount;
            for (int c = 0; c < n; c++) StartClient(c, (c + 1) % n);
            // Collect while the clients run: each one's methods are suspended between replies.
            await Collect();
            int wrong = await WaitForClients(n);
            ulong start = Clock.NowNanoseconds;
            StartClient(0, n - 1);
            wrong += await WaitForClients(1);
            ulong ns = (Clock.NowNanoseconds - start) / RoundTrips;
            _test.Report(n, parkedWrong, wrong, GcHeap.Collections - collectionsBefore, (long)ns);
        }

        private void StartClient(int cpu, int serverCpu)
        {
            var server = new Server();
            var client = new Client(this, server);
            _scheduler.Register(server, serverCpu);
            _scheduler.Register(client, cpu);
            _scheduler.Send(client, new Begin());
        }

        private async KernelTask<int> WaitForClients(int count)
        {
            _wrong = 0;
            _pending = count;
            _clientsDone.Reset();
            return await _clientsDone;
        }

        private async KernelTask Collect()
        {
            _collected.Reset();
            Collector.Collect(_scheduler, this);
            await _collected;
        }

        // Returns how many parked methods finished wrong or not at all.
        private async KernelTask<int> ParkAcrossCollection()
        {
            var events = new KernelEvent<int>[Parked];
            var tasks = new KernelTask<int>[Parked];
            for (int i = 0; i < Parked; i++)
            {
                events[i] = new KernelEvent<int>(this);
                tasks[i] = ParkOuter(events[i], i);
            }
            Churn();
            await Collect();
            Churn();
            int wrong = 0;
            for (int i = 0; i < Parked; i++)
            {
                events[i].Set(i * 5);
                if (!tasks[i].IsCompleted || tasks[i].Result != i * 6) wrong++;
            }
            return wrong;
        }

        // Garbage of the sizes a state machine box has, so freed cells are reused.
        private void Churn()
        {
            for (int i = 0; i < ChurnObjects; i++)
            {
                var o = new object[1 + i % 16];
                o[0] = _ring;
                _ring[i % _ring.Length] = o;
            }
        }
    }

    private static async KernelTask<int> ParkOuter(KernelEvent<int> e, int i)
    {
        int v = await ParkInner(e, i);
        return v + i;
    }

    private static async KernelTask<int> ParkInner(KernelEvent<int> e, int i)
    {
        string marker = Out.Dec(i);
        int v = await e;
        return marker == Out.Dec(i) ? v : -1;
    }

    public override string Name => "async-await";

    public override void Start(Scheduler scheduler)
    {
        var c = new Coordinator(this, scheduler);
        scheduler.Register(c, 0);
        scheduler.Send(c, new Begin());
    }

    private void Report(int clients, int parkedWrong, int wrong, long collections, long roundTripNs)
    {
        Finish(parkedWrong == 0 && wrong == 0 && collections >= 2, string.Concat(
            string.Concat(Out.Dec(clients), " clients x ", Out.Dec(RoundTrips), " awaited round trips, "),
            string.Concat(Out.Dec(Parked), " methods parked across a collection, ", Out.Dec(collections), " collections; "),
            string.Concat("cpu0<->cpu", Out.Dec(clients - 1), " round trip ", Out.Dec(roundTripNs)),
            string.Concat(" ns", wrong + parkedWrong == 0 ? "" : string.Concat(", ", Out.Dec(wrong + parkedWrong), " wrong"))));
    }
}

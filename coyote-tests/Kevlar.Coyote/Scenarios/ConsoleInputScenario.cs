// TestConsoleInput: the console input ring's notification protocol
// (runtime/Kevlar.Runtime/Devices/ConsoleInputRing.cs) between the serial
// interrupt and the reader, on two CPUs. CPU 1 plays the interrupt: each of its
// messages puts a burst of bytes and calls NotifyIfRequested, as the IRQ
// handler does. The reader on CPU 0 takes what is there and, while bytes are
// still to come, asks to be notified when the ring is readable, then waits for
// that message. With the x86 store buffers modelled (StoreBuffers), the
// producer's store of the head can pass its load of the arming flag unless the
// fence between them is there. Check at quiescence: the reader got every byte,
// in order (NoLostConsoleInput).
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

public static class ConsoleInputScenario
{
    public const int Cpus = 2;
    private const int Bursts = 3;
    private const int BurstBytes = 2;

    public static void Run(IActorRuntime runtime)
    {
        var w = new World(runtime, Cpus);
        var ring = new ConsoleInputRing();
        var reader = new Reader(w, 0, ring);
        var serial = new Serial(w, 1, ring);
        w.Scheduler.Register(reader, 0);
        w.Scheduler.Register(serial, 1);
        w.QuiescentCheck = _ => Specification.Assert(reader.Received == Bursts * BurstBytes,
            "NoLostConsoleInput: the reader waits with {0} of {1} bytes read ({2} still in the ring)",
            reader.Received, Bursts * BurstBytes, Bursts * BurstBytes - reader.Received);
        w.StartCpus();
        MockActor.SendTrackedFromDriver(w, 90, reader, 0);
        MockActor.SendTrackedFromDriver(w, 91, serial, 0);
        w.DriverDone();
    }

    private sealed class Readable : Message
    {
    }

    private sealed class Reader : MockActor
    {
        private readonly ConsoleInputRing _ring;
        private readonly byte[] _into = new byte[16];
        private readonly Readable _readable = new();

        public Reader(World world, int id, ConsoleInputRing ring) : base(world, id) => _ring = ring;

        public int Received { get; private set; }

        protected override void Handle(Message m)
        {
            if (m is SeqMessage s)
            {
                World.Ledger.OnDeliver(s.Sender, ActorNumber, s.Seq);
            }
            int n = _ring.Take(_into);
            for (int i = 0; i < n; i++)
            {
                Specification.Assert(_into[i] == (byte)(Received + i), "NoLostConsoleInput: byte {0} reads {1}", Received + i, _into[i]);
            }
            Received += n;
            if (Received < Bursts * BurstBytes)
            {
                _ring.NotifyWhenReadable(this, _readable);
            }
        }
    }

    // The serial interrupt: a burst of bytes per message, then the notification check.
    private sealed class Serial : MockActor
    {
        private readonly ConsoleInputRing _ring;
        private int _sent;
        private int _next;

        public Serial(World world, int id, ConsoleInputRing ring) : base(world, id) => _ring = ring;

        protected override void Handle(Message m)
        {
            var s = (SeqMessage)m;
            World.Ledger.OnDeliver(s.Sender, ActorNumber, s.Seq);
            for (int i = 0; i < BurstBytes; i++)
            {
                _ring.Put((byte)_next++);
            }
            _ring.NotifyIfRequested();
            if (s.Payload + 1 < Bursts)
            {
                SendTracked(this, _sent++, s.Payload + 1);
            }
        }
    }
}

// TestConcurrentMark: the real collector (GcWorld) marks concurrently while a
// mutator on each of three CPUs reshapes a shared graph. CPU c's home node (root
// slot c) holds its own list in field 0 and, in field 1, nodes handed over by
// the CPU before it. Each step a mutator pushes a new node (black during a
// mark) onto its own list, which is never dropped, hands the first node handed
// to it on to the next CPU (a store into the next home, then the deletion of the
// old edge), and every second step drops what was handed to it. CPU 0 starts a
// cycle at its first step and CPU 1 another once the first has ended, whose
// sweep poisons what the first freed; the mutators go on until both have ended
// (or MaxSteps). Checks: no mutator ever reads a freed
// node (UseAfterFree), the cycles end, and at the end every node reachable
// from the roots is intact.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Scenarios;

// Safety: nodes are GcWorld's heap objects, read and written through its Load and Store (the driver's
// list building before the CPUs start writes their fields directly).
public static unsafe class ConcurrentMarkScenario
{
    public const int Cpus = 3;
    // Each mutator takes at least MinSteps steps and goes on while the two cycles have not both ended, so
    // that it mutates during both marks, up to MaxSteps.
    public const int MinSteps = 3;
    public const int MaxSteps = 12;
    private const int ListLength = 3;

    public static void Run(IActorRuntime runtime)
    {
        var gc = new GcWorld(runtime, Cpus);
        for (int c = 0; c < Cpus; c++)
        {
            byte* home = GcWorld.New();
            for (int i = 0; i < 2 * ListLength; i++)
            {
                // Alternately onto the own list (field 0) and the handed-over one (field 1).
                int field = 8 + 8 * (i % 2);
                byte* n = GcWorld.New();
                *(nint*)(n + 8) = *(nint*)(home + field);
                *(nint*)(home + field) = (nint)n;
            }
            GcWorld.Root(c) = (nint)home;
        }
        var mutators = new MockActor[Cpus];
        for (int c = 0; c < Cpus; c++)
        {
            mutators[c] = new Mutator(gc.World, c);
        }
        gc.RunMutators(mutators, 1);
    }

    private sealed class Mutator : MockActor
    {
        private int _sent;
        private bool _startedSecond;

        public Mutator(World world, int id) : base(world, id)
        {
        }

        protected override void Handle(Message m)
        {
            var s = (SeqMessage)m;
            World.Ledger.OnDeliver(s.Sender, ActorNumber, s.Seq);
            int cpu = Cpu;
            int step = s.Payload;
            if (cpu == 0 && step == 0)
            {
                GcHeap.StartCycle(0);
            }
            if (cpu == 1 && !_startedSecond && GcHeap.Collections >= 1)
            {
                _startedSecond = GcHeap.StartCycle(1);
            }
            byte* home = (byte*)GcWorld.Root(cpu);
            byte* next = (byte*)GcWorld.Root((cpu + 1) % Cpus);

            // Push a new node onto the own list, which is never dropped: the store of the older head into
            // an object allocated during the mark is what keeps that head (and the list behind it) alive.
            byte* fresh = GcWorld.New();
            GcWorld.Push(home, fresh);
            InterleaveHook.Point();

            // Hand the first node handed to this CPU on to the next one: link it in there, then unlink it here.
            byte* first = GcWorld.Load(home, 1);
            if (first != null)
            {
                byte* rest = GcWorld.Load(first, 0);
                GcWorld.Store(first, 0, GcWorld.Load(next, 1));
                GcWorld.Store(next, 1, first);
                GcWorld.Store(home, 1, rest);
            }
            InterleaveHook.Point();

            if (step % 2 == 1)
            {
                GcWorld.Store(home, 1, null);
            }
            // Read through both lists (the handed-over one may have grown a cycle: the mutators'
            // moves race each other, which only gives the collector odder graphs).
            for (int field = 0; field < 2; field++)
            {
                byte* n = GcWorld.Load(home, field);
                for (int i = 0; i < 64 && n != null; i++)
                {
                    n = GcWorld.Load(n, 0);
                }
            }
            if (step + 1 < MaxSteps && (step + 1 < MinSteps || GcHeap.Collections < 2))
            {
                SendTracked(this, _sent++, step + 1);
            }
        }
    }
}

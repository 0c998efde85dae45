// TestHeapOutrun: two handlers outrun the collector at once. The real collector
// (GcWorld, a 64-block heap) on three CPUs: in one message each, the handlers
// on CPUs 0 and 1 keep a list of big nodes (a heap block each) from their root
// slot and drop more than the heap holds, so their allocations find the heap
// full and take part in collection rounds from inside the handler
// (Scheduler.CollectFromHandler) — both at once, one the collector and the
// other parked in its handler, or one while the other CPU is at its loop. CPU 2
// starts a concurrent cycle and pushes small nodes meanwhile, so a round may
// find it sweeping, ready to mark or marking. Checks: no allocation calls the
// heap exhausted (KernelPanic), no reachable node is freed (UseAfterFree), each
// list holds what its handler kept, and the cycle ends.
using Kevlar.Coyote.Harness;
using Kevlar.Coyote.Mocks;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Threading;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Scenarios;

// Safety: nodes are GcWorld's heap objects, read and written through its Load and Store.
public static unsafe class HeapOutrunScenario
{
    public const int Cpus = 3;
    private const int Outrunners = 2;
    // Each outrunner keeps Kept big nodes and drops the rest of Allocations: together more than
    // twice the heap's 64 blocks pass through it, with a fifth of it live at the end.
    private const int Allocations = 64;
    private const int Kept = 6;
    private const int CycleSteps = 4;

    public static void Run(IActorRuntime runtime)
    {
        var gc = new GcWorld(runtime, Cpus);
        for (int c = 0; c < Cpus; c++)
        {
            GcWorld.Root(c) = (nint)GcWorld.New();
        }
        var mutators = new MockActor[Cpus];
        for (int c = 0; c < Cpus; c++)
        {
            mutators[c] = c < Outrunners ? new Outrunner(gc.World, c) : new CycleMutator(gc.World, c);
        }
        gc.RunMutators(mutators, 1);
    }

    // Allocates Allocations big nodes in one handler, pushing every (Allocations / Kept)-th onto its
    // list (field 0 of its home node) before the next allocation, the rest dropped at once.
    private sealed class Outrunner : MockActor
    {
        public Outrunner(World world, int id) : base(world, id)
        {
        }

        protected override void Handle(Message m)
        {
            var s = (SeqMessage)m;
            World.Ledger.OnDeliver(s.Sender, ActorNumber, s.Seq);
            byte* home = (byte*)GcWorld.Root(Cpu);
            int kept = 0;
            for (int i = 0; i < Allocations; i++)
            {
                byte* big = GcWorld.NewBig();
                if (i % (Allocations / Kept) == 0 && kept < Kept)
                {
                    GcWorld.Push(home, big);
                    kept++;
                }
            }
            int found = 0;
            for (byte* n = GcWorld.Load(home, 0); n != null; n = GcWorld.Load(n, 0))
            {
                found++;
            }
            Specification.Assert(found == kept, "OutrunKeptList: {0} big nodes on CPU {1}'s list, kept {2}", found, Cpu, kept);
        }
    }

    // Starts a concurrent cycle at its first step and pushes a small node onto its list each step.
    private sealed class CycleMutator : MockActor
    {
        private int _sent;

        public CycleMutator(World world, int id) : base(world, id)
        {
        }

        protected override void Handle(Message m)
        {
            var s = (SeqMessage)m;
            World.Ledger.OnDeliver(s.Sender, ActorNumber, s.Seq);
            int step = s.Payload;
            if (step == 0)
            {
                GcHeap.StartCycle(Cpu);
            }
            byte* home = (byte*)GcWorld.Root(Cpu);
            byte* fresh = GcWorld.New();
            GcWorld.Push(home, fresh);
            InterleaveHook.Point();
            if (step + 1 < CycleSteps)
            {
                SendTracked(this, _sent++, step + 1);
            }
        }
    }
}

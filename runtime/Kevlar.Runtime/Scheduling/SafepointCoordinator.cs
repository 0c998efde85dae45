// SafepointCoordinator: the collector's stop-the-world handshake.
//
// Any CPU (or a host thread) may Request() a collection. Every CPU's loop calls
// Poll(cpu) at its top, where no handler frame is live; a handler that cannot go
// on without a collection (an allocation that found the heap full, holding no
// lock) polls from where it stands instead (Scheduler.CollectFromHandler), its
// frames scanned with its stack. Protocol:
//   1. Election. A CPU that polls with a request pending and the phase Idle
//      tries CAS phase Idle->Gathering; the winner is the collector and clears
//      the request flag (later requests start the next round).
//   2. Gathering. Every other CPU that polls sees Gathering and parks: it records
//      the generation, calls OnParking(cpu), then increments _parked. It stays
//      parked (Poll returns true) until the generation moves, halted: the
//      scheduler's loop announces a parked sleep and re-checks StillParked
//      before it halts (Scheduler.Step), as an idle CPU re-checks its mailbox.
//      The collector polls until _parked == CpuCount-1, waking any idle
//      sleeping CPU on each poll so it comes to its safepoint (parked sleepers
//      are left alone: they would only park again).
//   3. Collect. Phase Collecting; OnParking(collector); Collect().
//   4. Release. _parked=0, phase Idle, then generation+1, then a wakeup for
//      every other CPU: parked CPUs see the new generation and resume. No CPU
//      can start round k+1 before the release because every other CPU is
//      parked until the generation moves.
// A request arriving during rounds 2-4 stays set and starts the next round.
// Sleep interplay: a CPU re-checks IsPending after announcing sleep; the
// collector's phase CAS and Request's exchange are full fences before they read
// sleep flags (Scheduler.Kick), so one side always sees the other. A parked
// CPU's halt is the same argument with the generation for the mailbox: it
// announces sleep (exchange) and then reads the generation; the release adds
// to the generation (fetch-add) and then reads its sleep flag. Either the
// parked CPU sees the new generation and does not halt, or the release sees
// its flag and sends the wakeup (which a halt that has not started yet does
// not lose: Scheduler.Idle.cs).
//
// State (guards):
//   _requested, _phase, _parked, _generation, _collections: [Shared], Atomic only.
//   _parkedGeneration[cpu], _isCollector[cpu]: that CPU only.
using Kevlar.Runtime.Diagnostics;
using Kevlar.Runtime.Threading;

namespace Kevlar.Runtime.Scheduling;

public sealed class SafepointCoordinator
{
    private const int Idle = 0;
    private const int Gathering = 1;
    private const int Collecting = 2;

    private readonly Scheduler _scheduler;
    private readonly int _cpuCount;
    private ISafepointClient? _client;

    [Shared] private int _requested;
    [Shared] private int _phase;
    [Shared] private int _parked;
    [Shared] private int _generation;
    [Shared] private long _collections;

    private readonly int[] _parkedGeneration;
    private readonly bool[] _isCollector;

    internal SafepointCoordinator(Scheduler scheduler, int cpuCount, ISafepointClient? client)
    {
        _scheduler = scheduler;
        _cpuCount = cpuCount;
        _client = client;
        _parkedGeneration = new int[cpuCount];
        _isCollector = new bool[cpuCount];
        for (int i = 0; i < cpuCount; i++)
        {
            _parkedGeneration[i] = -1;
        }
    }

    /// <summary>The collector callbacks; set before any CPU runs.</summary>
    public ISafepointClient? Client
    {
        get => _client;
        set => _client = value;
    }

    /// <summary>True while Collect() runs.</summary>
    public bool IsCollecting => Atomic.Load(ref _phase) == Collecting;

    /// <summary>True when a collection is requested or under way: an idle CPU
    /// must not halt.</summary>
    public bool IsPending => Atomic.Load(ref _requested) != 0 || Atomic.Load(ref _phase) != Idle;

    /// <summary>True from <paramref name="cpu"/>'s park until its next poll after the
    /// release. Call on that CPU only (or when the system is quiescent).</summary>
    public bool IsParked(int cpu) => _parkedGeneration[cpu] >= 0;

    /// <summary>True while <paramref name="cpu"/> is parked in a round that has not
    /// been released: it may halt (after announcing sleep) until the release wakes
    /// it. Call on that CPU only (or when the system is quiescent).</summary>
    public bool StillParked(int cpu)
    {
        int pg = _parkedGeneration[cpu];
        return pg >= 0 && Atomic.Load(ref _generation) == pg;
    }

    /// <summary>True from <paramref name="cpu"/>'s election until it releases its round: while it
    /// polls, it waits for the others to park. Call on that CPU only.</summary>
    public bool IsCollector(int cpu) => _isCollector[cpu];

    /// <summary>Completed collections.</summary>
    public long Collections => Atomic.Load(ref _collections);

    /// <summary>The client's work between collections on <paramref name="cpu"/>, which is not
    /// parked; true while more is left.</summary>
    internal bool Background(int cpu)
    {
        ISafepointClient? client = _client;
        return client != null && client.Background(cpu);
    }

    /// <summary>Asks for a collection; callable from any CPU or thread. Several
    /// requests before a round starts are served by that one round.</summary>
    public void Request()
    {
        ProtocolCoverage.Reached(Atomic.Peek(ref _phase) == Idle ? "safepoint.request" : "safepoint.request-during-round");
        Atomic.Exchange(ref _requested, 1);
        for (int c = 0; c < _cpuCount; c++)
        {
            _scheduler.Kick(c);
        }
    }

    /// <summary>The safepoint at the top of <paramref name="cpu"/>'s loop. Returns
    /// true when the CPU must stay here (Pause, then Poll again), false when it
    /// may run handlers.</summary>
    public bool Poll(int cpu)
    {
        int pg = _parkedGeneration[cpu];
        if (pg >= 0)
        {
            if (Atomic.Load(ref _generation) == pg)
            {
                return true;
            }
            ProtocolCoverage.Reached("safepoint.resume");
            _parkedGeneration[cpu] = -1;
        }
        if (_isCollector[cpu])
        {
            return !TryCollect(cpu);
        }
        int phase = Atomic.Load(ref _phase);
        if (phase == Idle)
        {
            if (Atomic.Load(ref _requested) == 0)
            {
                return false;
            }
            if (Atomic.CompareExchange(ref _phase, Gathering, Idle) != Idle)
            {
                ProtocolCoverage.Reached("safepoint.election-lost");
                return true; // another CPU won the election: park on the next poll
            }
            ProtocolCoverage.Reached("safepoint.election-won");
            Atomic.Store(ref _requested, 0);
            _isCollector[cpu] = true;
            return !TryCollect(cpu);
        }
        Park(cpu);
        return true;
    }

    // Parks cpu in the current round. OnParking must run before the count.
    private void Park(int cpu)
    {
        ProtocolCoverage.Reached("safepoint.park");
        _parkedGeneration[cpu] = Atomic.Load(ref _generation);
        ISafepointClient? client = _client;
        if (client != null)
        {
            client.OnParking(cpu);
        }
        _scheduler.CountPark(cpu);
        Atomic.FetchAdd(ref _parked, 1);
    }

    // The collector's poll: collect and release once everyone parked; else wake
    // sleepers and report "not yet".
    private bool TryCollect(int cpu)
    {
        int need = _cpuCount - 1;
        if (SeededBugs.CollectBeforeAllParked && need > 0)
        {
            need = need - 1; // seeded bug: off by one
        }
        if (Atomic.Load(ref _parked) < need)
        {
            // Idle sleepers only: parked CPUs sleep too, and waking them would only make
            // them park again.
            ProtocolCoverage.Reached("safepoint.collector-waits");
            for (int c = 0; c < _cpuCount; c++)
            {
                if (c != cpu)
                {
                    _scheduler.KickIdle(c);
                }
            }
            return false;
        }
        ProtocolCoverage.Reached("safepoint.collect");
        Atomic.Store(ref _phase, Collecting);
        ISafepointClient? client = _client;
        if (client != null)
        {
            client.OnParking(cpu);
            client.Collect();
        }
        Atomic.FetchAdd(ref _collections, 1);
        _isCollector[cpu] = false;
        Atomic.Store(ref _parked, 0);
        Atomic.Store(ref _phase, Idle);
        Atomic.FetchAdd(ref _generation, 1);
        if (!SeededBugs.ReleaseWithoutWake)
        {
            KickOthers(cpu);
        }
        return true;
    }

    // Wakes every CPU but cpu that announced sleep, idle or parked. The caller has made
    // its change visible with a full fence (the release's fetch-add).
    private void KickOthers(int cpu)
    {
        for (int c = 0; c < _cpuCount; c++)
        {
            if (c != cpu)
            {
                _scheduler.Kick(c);
            }
        }
    }
}

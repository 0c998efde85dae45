// World: one run's simulated machine — the real Scheduler, the CPUs' per-run
// state (halted, IPI pending), the message ledger, and the bookkeeping that
// detects quiescence (every CPU halted, no IPI pending, the driver done) to
// run the invariants and release the CPUs. The CPU threads themselves belong
// to the iteration (Machine) and may run several worlds in turn.
using Kevlar.Coyote.Specs;
using Kevlar.Runtime.Scheduling;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Harness;

public sealed class World
{
    private readonly IActorRuntime _runtime;
    private readonly bool[] _halted;
    private readonly bool[] _ipi;
    private readonly bool[] _left;
    private readonly Func<bool> _allLeft;
    private readonly long _firstPoint;
    private bool _driverDone;
    private bool _checked;

    // Points a sparse run was granted past its bound, offering every one (CheckBound).
    private long _denseStretch;

    // Last value sent to each liveness monitor: a monitor hears only of changes.
    private bool _sentHaltedWithWork;
    private bool _sentOutstanding;
    private bool _sentPending;

    public World(IActorRuntime runtime, int cpuCount, ISafepointClient? safepointClient = null)
    {
        _runtime = runtime;
        _halted = new bool[cpuCount];
        _ipi = new bool[cpuCount];
        _canResume = new Func<bool>?[cpuCount];
        _left = new bool[cpuCount];
        _allLeft = () => Array.TrueForAll(_left, l => l);
        _firstPoint = Hooks.Points;
        Current = this;
        Platform = new CoyotePlatform(this, cpuCount);
        Buffers = new StoreBuffers(cpuCount);
        Hooks.UseBuffers(Buffers);
        Scheduler = new Scheduler(Platform, safepointClient);
        Ledger = new Ledger();
        runtime.RegisterMonitor<NoSleepWithPendingMessage>();
        runtime.RegisterMonitor<NoLoss>();
        runtime.RegisterMonitor<AllCpusResume>();
    }

    public CoyotePlatform Platform { get; }

    /// <summary>The CPUs' store buffers under Atomic (StoreBuffers.cs).</summary>
    public StoreBuffers Buffers { get; }

    public Scheduler Scheduler { get; }

    public Ledger Ledger { get; }

    public IActorRuntime Runtime => _runtime;

    /// <summary>The world of the run in progress (runs are sequential).</summary>
    public static World? Current { get; private set; }

    /// <summary>True when every CPU of this world is halted (harness's view).</summary>
    internal bool AllHalted() => Array.TrueForAll(_halted, h => h);

    public int CpuCount => _halted.Length;

    /// <summary>Extra invariants a scenario checks at quiescence.</summary>
    public Action<World>? QuiescentCheck { get; set; }

    /// <summary>Feeds a scenario's own liveness monitors; runs after every CPU step.</summary>
    public Action? Observer { get; set; }

    /// <summary>True once the world is quiescent: halted CPUs leave it.</summary>
    internal bool Stopping { get; private set; }

    /// <summary>True when the run reached its bound and was dropped unchecked.</summary>
    public bool RunDropped { get; private set; }

    /// <summary>Scheduling points taken so far (all runs of the process).</summary>
    internal long Points => Hooks.Points;

    /// <summary>Starts the CPUs on this world; call after registering kernel actors.</summary>
    public void StartCpus() => Machine.Start(this);

    /// <summary>The test driver has made its last send or request; returns when every
    /// CPU has left this world (it went quiescent, or a bug ended the iteration).</summary>
    public void DriverDone()
    {
        _driverDone = true;
        Observe();
        CheckIfQuiescent();
        Hooks.PauseUntil(_allLeft);
        if (!RunDropped)
        {
            Observe(); // the monitors end the run cold, as the next run starts
        }
        RunStats.OnRunDone(Hooks.Points - _firstPoint);
    }

    internal void Point() => Hooks.Point();

    /// <summary>Lets the driver (outside any CPU) give way <paramref name="points"/>
    /// times, so its next act lands anywhere in the run, also late.</summary>
    public void DriverYield(int points)
    {
        for (int i = 0; i < points; i++)
        {
            Hooks.Point();
        }
    }

    /// <summary>The name of a liveness monitor this world keeps hot, or null;
    /// a scenario with monitors of its own adds them here.</summary>
    public Func<string?>? HotMonitor { get; set; }

    /// <summary>Ends a run that took more scheduling points than RunStats.Bound:
    /// a liveness bug if a monitor is hot and the strategy is fair, else the run
    /// is dropped unchecked (as Coyote drops an iteration at its bound).
    /// A sparse random run is judged only after a dense stretch: it lets one CPU
    /// go on for a long while as the CPU another waits for is not chosen, so a
    /// correct run may still be at work at the bound, a monitor hot in passing
    /// (a message on its way to a halted CPU). From the bound it offers every
    /// point, as a dense run, for another bound's worth.</summary>
    internal void CheckBound()
    {
        long bound = RunStats.Bound + _denseStretch;
        if (RunStats.Bound == 0 || Stopping || Hooks.Points - _firstPoint <= bound)
        {
            return;
        }
        if (RunStats.BoundIsLiveness && _denseStretch == 0 && Hooks.OffersSparsely)
        {
            _denseStretch = RunStats.Bound;
            Hooks.OfferEveryPoint();
            return;
        }
        if (RunStats.BoundIsLiveness)
        {
            string? hot = null;
            Hooks.Observe(() => hot = Hot());
            Specification.Assert(hot == null,
                "{0}: still hot when the run reached its bound of {1} scheduling points under a fair schedule (liveness)", hot, bound);
        }
        RunStats.OnBounded();
        RunDropped = true;
        _checked = true;
        Stopping = true;
        Cool();
    }

    /// <summary>Cools a scenario's own liveness monitors when a run is dropped.</summary>
    public Action? CoolMonitors { get; set; }

    // A dropped run leaves its monitors cold, so neither the next run nor
    // Coyote's end-of-test check reads the unchecked run's state.
    private void Cool()
    {
        _sentHaltedWithWork = false;
        _sentOutstanding = false;
        _sentPending = false;
        _runtime.Monitor<NoSleepWithPendingMessage>(new NoSleepWithPendingMessage.Observed(false));
        _runtime.Monitor<NoLoss>(new NoLoss.Observed(0));
        _runtime.Monitor<AllCpusResume>(new AllCpusResume.Observed(false));
        CoolMonitors?.Invoke();
    }

    private string? Hot()
    {
        if (_sentHaltedWithWork)
        {
            return nameof(NoSleepWithPendingMessage);
        }
        if (_sentOutstanding)
        {
            return nameof(NoLoss);
        }
        if (_sentPending)
        {
            return nameof(AllCpusResume);
        }
        return HotMonitor?.Invoke();
    }

    // The IPI follows the sender's earlier stores: they are visible when it arrives.
    internal void SendIpi(int cpu)
    {
        Buffers.Drain(CoyotePlatform.CurrentCpuOfThread);
        _ipi[cpu] = true;
    }

    internal bool IpiPending(int cpu) => _ipi[cpu];

    /// <summary>Consumes a pending IPI of <paramref name="cpu"/>.</summary>
    internal bool TakeIpi(int cpu)
    {
        bool was = _ipi[cpu];
        _ipi[cpu] = false;
        return was;
    }

    /// <summary>Halts <paramref name="cpu"/> (on its own thread) until an IPI is pending, as hlt waits for an
    /// interrupt; an IPI that arrived while it ran makes the halt return at once. False when the world
    /// went quiescent with this CPU halted: it leaves the world.</summary>
    internal bool Halt(int cpu)
    {
        if (TakeIpi(cpu))
        {
            Exploration.Coverage.Hit("idle.halt-with-ipi-pending");
            return true;
        }
        OnHalted(cpu, true);
        Observe();
        Hooks.PauseUntil(_canResume[cpu] ??= () => IpiPending(cpu) || Stopping);
        if (!TakeIpi(cpu))
        {
            return false;
        }
        OnHalted(cpu, false);
        return true;
    }

    private readonly Func<bool>?[] _canResume;

    internal void OnHalted(int cpu, bool halted)
    {
        _halted[cpu] = halted;
        if (halted)
        {
            CheckIfQuiescent();
        }
    }

    internal void OnCpuLeft(int cpu)
    {
        Buffers.Drain(cpu);
        _left[cpu] = true;
    }

    /// <summary>Feeds the liveness monitors the current state.</summary>
    internal void Observe() => Hooks.Observe(_observe ??= ObserveNow);

    private Action? _observe;

    private void ObserveNow()
    {
        if (RunDropped)
        {
            return;
        }
        bool haltedWithWork = false;
        for (int c = 0; c < _halted.Length; c++)
        {
            if (_halted[c] && !Scheduler.MailboxEmpty(c))
            {
                haltedWithWork = true;
            }
        }
        if (haltedWithWork != _sentHaltedWithWork)
        {
            _sentHaltedWithWork = haltedWithWork;
            _runtime.Monitor<NoSleepWithPendingMessage>(new NoSleepWithPendingMessage.Observed(haltedWithWork));
        }
        bool outstanding = Ledger.Outstanding > 0;
        if (outstanding != _sentOutstanding)
        {
            _sentOutstanding = outstanding;
            _runtime.Monitor<NoLoss>(new NoLoss.Observed(Ledger.Outstanding));
        }
        bool pending = Scheduler.Safepoint.IsPending;
        if (pending != _sentPending)
        {
            _sentPending = pending;
            _runtime.Monitor<AllCpusResume>(new AllCpusResume.Observed(pending));
        }
        Observer?.Invoke();
    }

    private void CheckIfQuiescent()
    {
        if (_checked || !_driverDone)
        {
            return;
        }
        for (int c = 0; c < _halted.Length; c++)
        {
            if (!_halted[c] || _ipi[c])
            {
                return;
            }
        }
        _checked = true;
        Hooks.Observe(() =>
        {
            Invariants.CheckQuiescent(this);
            QuiescentCheck?.Invoke(this);
        });
        Stopping = true;
    }
}

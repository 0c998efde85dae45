// World: one test iteration's simulated machine — the real Scheduler, the CPU
// actors, the message ledger, and the bookkeeping that detects quiescence
// (every CPU halted, no IPI in flight, the driver done) to run the invariants.
using Kevlar.Coyote.Specs;
using Kevlar.Runtime.Scheduling;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Harness;

public sealed class World
{
    private readonly IActorRuntime _runtime;
    private readonly ActorId?[] _cpuIds;
    private readonly bool[] _halted;
    private int _ipisInFlight;
    private bool _driverDone;
    private bool _checked;

    public World(IActorRuntime runtime, int cpuCount, ISafepointClient? safepointClient = null)
    {
        _runtime = runtime;
        _cpuIds = new ActorId?[cpuCount];
        _halted = new bool[cpuCount];
        Platform = new CoyotePlatform(this, cpuCount);
        Scheduler = new Scheduler(Platform, safepointClient);
        Ledger = new Ledger();
        runtime.RegisterMonitor<NoSleepWithPendingMessage>();
        runtime.RegisterMonitor<NoLoss>();
        runtime.RegisterMonitor<AllCpusResume>();
    }

    public CoyotePlatform Platform { get; }

    public Scheduler Scheduler { get; }

    public Ledger Ledger { get; }

    public int CpuCount => _halted.Length;

    /// <summary>Extra invariants a scenario checks at quiescence.</summary>
    public Action<World>? QuiescentCheck { get; set; }

    /// <summary>Feeds a scenario's own liveness monitors; runs after every CPU step.</summary>
    public Action? Observer { get; set; }

    /// <summary>Creates one CPU actor per CPU; call after registering kernel actors.</summary>
    public void StartCpus()
    {
        for (int c = 0; c < _cpuIds.Length; c++)
        {
            _cpuIds[c] = _runtime.CreateActor(typeof(CpuActor), new CpuInit(this, c));
        }
    }

    /// <summary>The test driver has made its last send or request.</summary>
    public void DriverDone()
    {
        _driverDone = true;
        Observe();
        CheckIfQuiescent();
    }

    internal void AttachCpu(int cpu, ActorId id) => _cpuIds[cpu] = id;

    internal void SendIpi(int cpu)
    {
        _ipisInFlight++;
        _runtime.SendEvent(_cpuIds[cpu]!, IpiEvent.Instance);
    }

    internal void OnIpiDelivered() => _ipisInFlight--;

    internal void OnHalted(int cpu)
    {
        _halted[cpu] = true;
        CheckIfQuiescent();
    }

    internal void OnWoke(int cpu) => _halted[cpu] = false;

    /// <summary>Feeds the liveness monitors the current state.</summary>
    internal void Observe()
    {
        bool haltedWithWork = false;
        for (int c = 0; c < _halted.Length; c++)
        {
            if (_halted[c] && !Scheduler.MailboxEmpty(c))
            {
                haltedWithWork = true;
            }
        }
        _runtime.Monitor<NoSleepWithPendingMessage>(new NoSleepWithPendingMessage.Observed(haltedWithWork));
        _runtime.Monitor<NoLoss>(new NoLoss.Observed(Ledger.Outstanding));
        _runtime.Monitor<AllCpusResume>(new AllCpusResume.Observed(Scheduler.Safepoint.IsPending));
        Observer?.Invoke();
    }

    private void CheckIfQuiescent()
    {
        if (_checked || !_driverDone || _ipisInFlight != 0)
        {
            return;
        }
        for (int c = 0; c < _halted.Length; c++)
        {
            if (!_halted[c])
            {
                return;
            }
        }
        _checked = true;
        Invariants.CheckQuiescent(this);
        QuiescentCheck?.Invoke(this);
    }
}

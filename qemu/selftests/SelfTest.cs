// One in-kernel self-test: started by the runner on CPU 0, it drives its own
// actors and reports exactly once through Finish. Tests run one after another.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public abstract class SelfTest
{
    private SelfTestRunner? _runner;

    public abstract string Name { get; }

    /// <summary>Creates the test's actors and sends the first messages; never blocks.</summary>
    public abstract void Start(Scheduler scheduler);

    internal void Begin(SelfTestRunner runner, Scheduler scheduler)
    {
        _runner = runner;
        Start(scheduler);
    }

    /// <summary>Reports the verdict; callable from any CPU, once.</summary>
    protected void Finish(bool passed, string detail) => _runner!.Report(this, passed, detail);
}

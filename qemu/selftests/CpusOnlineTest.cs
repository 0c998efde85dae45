// Every CPU the MADT lists (up to kevlar.cpus) runs C#, and an actor homed on
// each CPU handles a message there.
using Kevlar.Drivers.X86_64;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class CpusOnlineTest : SelfTest
{
    private sealed class Probe : Message { }

    private sealed class Reporter : Actor
    {
        private readonly CpusOnlineTest _test;
        public Reporter(CpusOnlineTest test) { _test = test; }
        protected internal override void Receive(Message m) => _test.Arrived(Home, CpuLocal.CurrentIndex);
    }

    private int _expected, _arrived, _wrongCpu;

    public override string Name => "cpus-online";

    public override void Start(Scheduler scheduler)
    {
        _expected = scheduler.CpuCount;
        for (int cpu = 0; cpu < scheduler.CpuCount; cpu++)
        {
            var r = new Reporter(this);
            scheduler.Register(r, cpu);
            scheduler.Send(r, new Probe());
        }
    }

    private void Arrived(int home, int ranOn)
    {
        if (home != ranOn) System.Threading.Interlocked.Increment(ref _wrongCpu);
        if (System.Threading.Interlocked.Increment(ref _arrived) != _expected) return;
        bool ok = _wrongCpu == 0 && Smp.Online == _expected;
        Finish(ok, string.Concat(Out.Dec(Smp.Online), " of ", Out.Dec(_expected), " CPUs run actors on their home CPU"));
    }
}

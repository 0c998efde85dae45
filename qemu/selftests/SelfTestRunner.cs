// Runs the selected self-tests in sequence on CPU 0, prints one line per test
// (`selftest NAME: PASS|FAIL detail`) and a summary, then ends the QEMU run
// with the verdict through isa-debug-exit.
using System.Collections.Generic;
using Kevlar.Drivers.X86_64.Cpu;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class SelfTestRunner : Actor
{
    private sealed class Next : Message { }

    private sealed class Verdict : Message
    {
        public readonly SelfTest Test;
        public readonly bool Passed;
        public readonly string Detail;
        public Verdict(SelfTest test, bool passed, string detail) { Test = test; Passed = passed; Detail = detail; }
    }

    private readonly Scheduler _scheduler;
    private readonly List<SelfTest> _tests;
    private int _index = -1;
    private int _passed, _failed;

    public SelfTestRunner(Scheduler scheduler, List<SelfTest> tests)
    {
        _scheduler = scheduler;
        _tests = tests;
    }

    public void Run()
    {
        _scheduler.Register(this, 0);
        _scheduler.Send(this, new Next());
    }

    internal void Report(SelfTest test, bool passed, string detail) => _scheduler.Send(this, new Verdict(test, passed, detail));

    protected internal override void Receive(Message m)
    {
        if (m is Verdict v)
        {
            if (v.Passed) _passed++; else _failed++;
            Out.Line(string.Concat("selftest ", v.Test.Name, v.Passed ? ": PASS " : ": FAIL ", v.Detail));
        }
        _index++;
        if (_index < _tests.Count)
        {
            _tests[_index].Begin(this, _scheduler);
            return;
        }
        Out.Line(string.Concat("selftest: ", Out.Dec(_passed), " passed, ", string.Concat(Out.Dec(_failed), " failed")));
        if (_failed == 0) QemuExit.Pass(); else QemuExit.Fail();
    }
}

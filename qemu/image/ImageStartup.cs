// What the image does once every CPU is up (KernelMain calls KevlarStartWork on
// CPU 0): run the self-tests the command line names, trigger a deliberate
// fault, or idle with the console.
using System.Collections.Generic;
using System.Runtime;
using Kevlar.Drivers.X86_64;
using Kevlar.Drivers.X86_64.Diagnostics;
using Kevlar.Runtime.Scheduling;
using Kevlar.SelfTests;

namespace Kevlar.Image;

public static class ImageStartup
{
    private sealed class FaultNow : Message { }

    private sealed class FaultActor : Actor
    {
        private readonly string _kind;
        public FaultActor(string kind) { _kind = kind; }
        protected internal override void Receive(Message m)
        {
            if (!DeliberateFaults.Trigger(_kind)) Out.Line(string.Concat("kevlar: unknown kevlar.fault=", _kind));
        }
    }

    [RuntimeExport("KevlarStartWork")]
    private static void Start(Scheduler scheduler)
    {
        var options = KernelMain.Options;
        if (options.Fault.Length > 0)
        {
            var actor = new FaultActor(options.Fault);
            scheduler.Register(actor, scheduler.CpuCount - 1);
            scheduler.Send(actor, new FaultNow());
            return;
        }
        if (options.Tests.Length == 0 && UserStart.TryStart(scheduler)) return;
        if (options.Tests.Length == 0)
        {
            Out.Line("kevlar: up; no self-tests requested (boot with kevlar.test=all to run them)");
            return;
        }
        var tests = new List<SelfTest>();
        if (options.WantsTest("cpus-online")) tests.Add(new CpusOnlineTest());
        if (options.WantsTest("interface-dispatch")) tests.Add(new InterfaceDispatchTest());
        if (options.WantsTest("casts")) tests.Add(new CastsTest());
        if (options.WantsTest("static-constructors")) tests.Add(new StaticConstructorsTest());
        if (options.WantsTest("corlib-conformance")) tests.Add(new CorlibConformanceTest());
        if (options.WantsTest("ping-pong")) tests.Add(new PingPongTest());
        if (options.WantsTest("migration")) tests.Add(new MigrationTest());
        if (options.WantsTest("cyclic-graphs")) tests.Add(new CyclicGraphsTest());
        if (options.WantsTest("heap-survival")) tests.Add(new HeapSurvivalTest());
        if (options.WantsTest("heap-pressure")) tests.Add(new HeapPressureTest());
        if (options.WantsTest("heap-outrun")) tests.Add(new HeapOutrunTest());
        if (options.WantsTest("async-await")) tests.Add(new AsyncAwaitTest());
        if (options.WantsTest("exec-parsers")) tests.Add(new ExecParsersTest());
        // Needs the host to type on COM1, so "all" leaves it out.
        if (options.Tests != "all" && options.WantsTest("console-echo")) tests.Add(new ConsoleEchoTest());
        // Figures, not a check: only when named.
        if (options.Tests != "all" && options.WantsTest("gc-pauses"))
            tests.Add(new GcPausesTest(options.GcLiveKiB > 0 ? options.GcLiveKiB : GcPausesTest.DefaultLiveKiB, options.GcRounds > 0 ? (int)options.GcRounds : GcPausesTest.DefaultRounds));
        if (options.WantsTest("message-storm")) tests.Add(new MessageStormTest(options.StormMessages > 0 ? options.StormMessages : MessageStormTest.DefaultMessages));
        new SelfTestRunner(scheduler, tests).Run();
    }
}

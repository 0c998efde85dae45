// Heap churn through the scheduler: tokens hop between relay actors on every
// CPU, each hop a freshly allocated message, until the total reaches the
// target (10 million by default). Most hops stay on the CPU, every eighth
// crosses to the next CPU. Heap use is measured after a forced collection
// before and after: with nothing retained it must stay flat.
using System.Threading;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Metal.Memory;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class MessageStormTest : SelfTest
{
    public const long DefaultMessages = 10_000_000;
    private const int RelaysPerCpu = 8;
    private const int TokensPerRelay = 2;
    private const ulong FlatSlackBytes = 512 * 1024;

    private sealed class Token : Message
    {
        public readonly int HopsLeft;
        public Token(int hopsLeft) { HopsLeft = hopsLeft; }
    }

    private sealed class TokenDone : Message { }

    private sealed class Relay : Actor
    {
        public Relay? Local, Remote;
        private readonly Coordinator _coordinator;
        private int _hops;
        public Relay(Coordinator c) { _coordinator = c; }

        protected internal override void Receive(Message m)
        {
            int left = ((Token)m).HopsLeft;
            if (left == 0) { Send(_coordinator, new TokenDone()); return; }
            _hops++;
            Send((_hops & 7) == 0 ? Remote! : Local!, new Token(left - 1));
        }
    }

    private sealed class Coordinator : Actor
    {
        private readonly MessageStormTest _test;
        private readonly Scheduler _scheduler;
        private int _phase, _tokensLeft;
        private ulong _before, _peak, _startNs, _elapsedNs;
        private long _collectionsBefore;
        private Relay[]? _relays;
        private CpuStats[]? _statsBefore;

        public Coordinator(MessageStormTest test, Scheduler scheduler) { _test = test; _scheduler = scheduler; }

        protected internal override void Receive(Message m)
        {
            if (m is AfterCollection ac && !Collector.Finished(_scheduler, this, ac)) return;
            if (m is TokenDone)
            {
                if (GcHeap.UsedBytes > _peak) _peak = GcHeap.UsedBytes;
                if (--_tokensLeft > 0) return;
                _elapsedNs = Clock.NowNanoseconds - _startNs;
                PrintPerCpu();
                _relays = null;
                _phase = 2;
                Collector.Collect(_scheduler, this);
                return;
            }
            if (_phase == 0) { _phase = 1; Collector.Collect(_scheduler, this); return; }
            if (_phase == 1) { Launch(); return; }
            _test.Report(_before, GcHeap.UsedBytes, _peak, GcHeap.Collections - _collectionsBefore, _elapsedNs);
        }

        // One line per CPU: messages handled during the storm and the rate, idle sleeps and wakeups.
        private void PrintPerCpu()
        {
            ulong ms = _elapsedNs / 1_000_000 + 1;
            for (int c = 0; c < _statsBefore!.Length; c++)
            {
                CpuStats now = _scheduler.GetStats(c);
                long delivered = now.Delivered - _statsBefore[c].Delivered;
                Out.Line(string.Concat(
                    string.Concat("sched cpu", Out.Dec(c), ": ", Out.Dec(delivered)),
                    string.Concat(" messages, ", Out.Dec(delivered * 1000 / (long)ms), " msg/s, "),
                    string.Concat(Out.Dec(now.Sleeps - _statsBefore[c].Sleeps), " sleeps, "),
                    string.Concat(Out.Dec(now.WakeupsSent - _statsBefore[c].WakeupsSent), " wakeups")));
            }
        }

        private void Launch()
        {
            _before = GcHeap.UsedBytes;
            _collectionsBefore = GcHeap.Collections;
            int cpus = _scheduler.CpuCount;
            _relays = new Relay[cpus * RelaysPerCpu];
            for (int i = 0; i < _relays.Length; i++)
            {
                _relays[i] = new Relay(this);
                _scheduler.Register(_relays[i], i / RelaysPerCpu);
            }
            for (int i = 0; i < _relays.Length; i++)
            {
                int cpu = i / RelaysPerCpu, slot = i % RelaysPerCpu;
                _relays[i].Local = _relays[cpu * RelaysPerCpu + (slot + 1) % RelaysPerCpu];
                _relays[i].Remote = _relays[(cpu + 1) % cpus * RelaysPerCpu + slot];
            }
            _statsBefore = new CpuStats[cpus];
            for (int c = 0; c < cpus; c++) _statsBefore[c] = _scheduler.GetStats(c);
            _tokensLeft = _relays.Length * TokensPerRelay;
            int hops = (int)(_test._messages / _tokensLeft);
            _startNs = Clock.NowNanoseconds;
            for (int t = 0; t < TokensPerRelay; t++)
                for (int i = 0; i < _relays.Length; i++) _scheduler.Send(_relays[i], new Token(hops));
        }
    }

    private readonly long _messages;

    public MessageStormTest(long messages) { _messages = messages; }

    public override string Name => "message-storm";

    public override void Start(Scheduler scheduler)
    {
        var c = new Coordinator(this, scheduler);
        scheduler.Register(c, 0);
        scheduler.Send(c, new Token(0));
    }

    private void Report(ulong before, ulong after, ulong peak, long collections, ulong elapsedNs)
    {
        long perSecond = elapsedNs == 0 ? 0 : (long)((ulong)_messages * 1000 / (elapsedNs / 1_000_000 + 1));
        bool flat = after <= before + FlatSlackBytes;
        Finish(flat && collections > 0, string.Concat(
            string.Concat(Out.Dec(_messages), " messages in ", Out.Dec((long)(elapsedNs / 1_000_000)), " ms ("),
            string.Concat(Out.Dec(perSecond), " msg/s); heap before ", Out.KiB(before), " after "),
            string.Concat(Out.KiB(after), " peak ", Out.KiB(peak), " collections "),
            Out.Dec(collections)));
    }
}

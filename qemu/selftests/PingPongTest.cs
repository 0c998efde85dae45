// Actor ping-pong across every ordered pair of CPUs (a CPU with itself when
// there is only one), all pairs at once; then one pair alone, timed, for the
// cross-CPU round-trip figure.
using System.Threading;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.SelfTests;

public sealed class PingPongTest : SelfTest
{
    private const int RoundTrips = 2000;
    private const int TimedRoundTrips = 20000;

    private sealed class Ball : Message
    {
        public readonly int Remaining;
        public Ball(int remaining) { Remaining = remaining; }
    }

    private sealed class Player : Actor
    {
        public Player? Partner;
        private readonly PingPongTest _test;
        private readonly bool _serves;
        public Player(PingPongTest test, bool serves) { _test = test; _serves = serves; }

        protected internal override void Receive(Message m)
        {
            int remaining = ((Ball)m).Remaining;
            if (_serves && remaining == 0) { _test.PairDone(); return; }
            Send(Partner!, new Ball(_serves ? remaining - 1 : remaining));
        }
    }

    private Scheduler? _scheduler;
    private int _pairs, _pairsDone;
    private bool _timing;
    private ulong _startNs;
    private string _allPairs = "";

    public override string Name => "ping-pong";

    public override void Start(Scheduler scheduler)
    {
        _scheduler = scheduler;
        int n = scheduler.CpuCount;
        _pairs = n == 1 ? 1 : n * (n - 1);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                if (a != b || n == 1) Serve(a, b, RoundTrips);
    }

    private void Serve(int from, int to, int roundTrips)
    {
        var server = new Player(this, true);
        var receiver = new Player(this, false);
        server.Partner = receiver;
        receiver.Partner = server;
        _scheduler!.Register(server, from);
        _scheduler.Register(receiver, to);
        _scheduler.Send(server, new Ball(roundTrips + 1));
    }

    private void PairDone()
    {
        if (Interlocked.Increment(ref _pairsDone) != _pairs) return;
        if (!_timing)
        {
            _allPairs = string.Concat(Out.Dec(_pairs), " pairs x ", Out.Dec(RoundTrips), " round trips");
            _timing = true;
            _pairs = 1;
            _pairsDone = 0;
            _startNs = Clock.NowNanoseconds;
            int last = _scheduler!.CpuCount - 1;
            Serve(0, last, TimedRoundTrips);
            return;
        }
        ulong ns = (Clock.NowNanoseconds - _startNs) / TimedRoundTrips;
        Finish(true, string.Concat(_allPairs, "; cpu0<->cpu", Out.Dec(_scheduler!.CpuCount - 1), string.Concat(" round trip ", Out.Dec((long)ns), " ns")));
    }
}

// The collector safepoint handshake on the deterministic twin.
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Platforms;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Scheduling;

public class SafepointCoordinatorTests
{
    public SafepointCoordinatorTests() => KassertFailure.Install();

    [Fact]
    public void Request_AllCpusSleeping_CollectsOnceWithEveryCpuParked()
    {
        var platform = new DeterministicPlatform(4);
        var client = new RecordingSafepointClient(4);
        var s = new Scheduler(platform, client);
        var d = new DeterministicDriver(s, platform);
        d.RunUntilQuiescent();
        s.Safepoint.Request();
        d.RunUntilQuiescent();
        Assert.Equal(1, client.Collections);
        Assert.Equal(0, client.BadCollections);
        Assert.Equal(1, s.Safepoint.Collections);
        Assert.False(s.Safepoint.IsPending);
        Assert.Equal(4, client.ParkOrder.Count);
    }

    [Fact]
    public void Step_ParkedCpu_HaltsAndTheReleaseWakesIt()
    {
        var platform = new DeterministicPlatform(2);
        var client = new RecordingSafepointClient(2);
        var s = new Scheduler(platform, client);
        s.Safepoint.Request();
        platform.TakeWakeup(0);
        platform.TakeWakeup(1);

        Assert.Equal(LoopStep.AtSafepoint, s.Step(0)); // elected; waits for CPU 1
        Assert.Equal(LoopStep.Halt, s.Step(1));        // parks, then sleeps instead of spinning
        Assert.True(s.Safepoint.StillParked(1));
        Assert.Equal(LoopStep.Halt, s.Step(0));        // collects, releases, then idles
        Assert.Equal(1, client.Collections);
        Assert.False(s.Safepoint.StillParked(1));
        Assert.True(platform.TakeWakeup(1), "the release did not wake the parked CPU");
    }

    [Fact]
    public void RunOnce_CollectionPending_DeliversNothingUntilCollected()
    {
        var platform = new DeterministicPlatform(1);
        var client = new RecordingSafepointClient(1);
        var s = new Scheduler(platform, client);
        var r = new RecorderActor();
        s.Register(r, 0);
        for (int i = 0; i < 10; i++) s.Send(r, new SeqMessage(0, i));
        s.Safepoint.Request();
        // The heap asks for a collection because it is running out: the batch must stop so the loop reaches its safepoint.
        Assert.False(s.RunOnce(0));
        Assert.Empty(r.Received);
        new DeterministicDriver(s, platform).RunUntilQuiescent();
        Assert.Equal(1, client.Collections);
        Assert.Equal(10, r.Received.Count);
    }

    [Fact]
    public void Request_FromSeveralCpusAtOnce_RunsOneRound()
    {
        var platform = new DeterministicPlatform(3);
        var client = new RecordingSafepointClient(3);
        var s = new Scheduler(platform, client);
        s.Safepoint.Request();
        s.Safepoint.Request();
        s.Safepoint.Request();
        new DeterministicDriver(s, platform).RunUntilQuiescent();
        Assert.Equal(1, client.Collections);
        Assert.Equal(0, client.BadCollections);
    }

    [Fact]
    public void Request_DuringCollection_RunsASecondRound()
    {
        var platform = new DeterministicPlatform(3);
        RecordingSafepointClient? inner = null;
        Scheduler? s = null;
        var client = new RequestingClient(3, () => s!.Safepoint.Request());
        inner = client.Inner;
        s = new Scheduler(platform, client);
        s.Safepoint.Request();
        new DeterministicDriver(s, platform).RunUntilQuiescent();
        Assert.Equal(2, inner.Collections);
        Assert.Equal(0, inner.BadCollections);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Request_FromHandlersUnderLoad_NoHandlerRunsDuringCollect(int seed)
    {
        const int cpus = 4;
        var platform = new DeterministicPlatform(cpus);
        var client = new RecordingSafepointClient(cpus);
        var s = new Scheduler(platform, client);
        var pings = PingActor.Ring(s, cpus);
        var requester = new RecorderActor { OnReceive = (_, _) => s.Safepoint.Request() };
        s.Register(requester, 2);
        for (int c = 0; c < cpus; c++)
        {
            s.Send(pings[c], new BallMessage(200));
        }
        for (int i = 0; i < 5; i++)
        {
            s.Send(requester, new SeqMessage(0, i));
        }
        new DeterministicDriver(s, platform, seed).RunUntilQuiescent();
        Assert.True(client.Collections >= 1);
        Assert.Equal(0, client.BadCollections);
        Assert.Equal(cpus * 201, CountHits(pings));
    }

    private static int CountHits(PingActor[] pings)
    {
        int n = 0;
        foreach (var p in pings)
        {
            n += p.Hits;
        }
        return n;
    }

    // A client whose first Collect asks for another collection.
    private sealed class RequestingClient : ISafepointClient
    {
        private readonly Action _request;

        public RequestingClient(int cpus, Action request)
        {
            Inner = new RecordingSafepointClient(cpus);
            _request = request;
        }

        public RecordingSafepointClient Inner { get; }

        public void OnParking(int cpu) => Inner.OnParking(cpu);

        public bool Background(int cpu) => false;

        public void Collect()
        {
            Inner.Collect();
            if (Inner.Collections == 1)
            {
                _request();
            }
        }
    }
}

// Delivery through the real Scheduler on the deterministic twin: ping-pong
// across every pair of CPUs and FIFO per sender-receiver pair.
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Platforms;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Scheduling;

public class SchedulerDeliveryTests
{
    public SchedulerDeliveryTests() => KassertFailure.Install();

    public static IEnumerable<object[]> CpuPairs()
    {
        for (int a = 0; a < 4; a++)
        {
            for (int b = 0; b < 4; b++)
            {
                yield return new object[] { a, b };
            }
        }
    }

    [Theory]
    [MemberData(nameof(CpuPairs))]
    public void PingPong_EveryCpuPair_CompletesAllRoundTrips(int cpuA, int cpuB)
    {
        const int roundTrips = 100;
        var platform = new DeterministicPlatform(4);
        var s = new Scheduler(platform);
        var a = new PingActor();
        var b = new PingActor();
        a.Peer = b;
        b.Peer = a;
        s.Register(a, cpuA);
        s.Register(b, cpuB);
        s.Send(a, new BallMessage(2 * roundTrips - 1));
        var driver = new DeterministicDriver(s, platform);
        driver.RunUntilQuiescent();
        Assert.Equal(roundTrips, a.Hits);
        Assert.Equal(roundTrips, b.Hits);
        Assert.Equal(cpuB, b.FinishedOnCpu);
        long delivered = 0;
        for (int c = 0; c < 4; c++)
        {
            delivered += s.GetStats(c).Delivered;
            Assert.True(s.MailboxEmpty(c));
        }
        Assert.Equal(2 * roundTrips, delivered);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Send_ManySendersOnEveryCpu_KeepsFifoPerPair(int seed)
    {
        const int cpus = 4;
        const int perPair = 50;
        var platform = new DeterministicPlatform(cpus);
        var s = new Scheduler(platform);
        var sinks = new RecorderActor[cpus];
        var sources = new RecorderActor[cpus];
        for (int c = 0; c < cpus; c++)
        {
            sinks[c] = new RecorderActor();
            s.Register(sinks[c], c);
            int me = c;
            sources[c] = new RecorderActor
            {
                // On "start", send perPair numbered messages to every sink.
                OnReceive = (self, _) =>
                {
                    for (int i = 0; i < perPair; i++)
                    {
                        for (int t = 0; t < cpus; t++)
                        {
                            self.SendFrom(sinks[t], new SeqMessage(me, i));
                        }
                    }
                },
            };
            s.Register(sources[c], (c + 1) % cpus);
        }
        for (int c = 0; c < cpus; c++)
        {
            s.Send(sources[c], new SeqMessage(-1, 0));
        }
        new DeterministicDriver(s, platform, seed).RunUntilQuiescent();
        for (int c = 0; c < cpus; c++)
        {
            Assert.Equal(0, sinks[c].Violations);
            Assert.Equal(cpus * perPair, sinks[c].Received.Count);
            Assert.All(sinks[c].Received, r => Assert.Equal(c, r.Cpu));
        }
    }

    [Fact]
    public void RunOnce_FloodedMailbox_DeliversAtMostBatchLimit()
    {
        var platform = new DeterministicPlatform(1);
        var s = new Scheduler(platform);
        var sink = new RecorderActor();
        s.Register(sink, 0);
        for (int i = 0; i < Scheduler.BatchLimit + 10; i++)
        {
            s.Send(sink, new SeqMessage(0, i));
        }
        platform.Current = 0;
        Assert.True(s.RunOnce(0));
        Assert.Equal(Scheduler.BatchLimit, sink.Received.Count);
        Assert.True(s.RunOnce(0));
        Assert.Equal(Scheduler.BatchLimit + 10, sink.Received.Count);
        Assert.False(s.RunOnce(0));
    }

    [Fact]
    public void Send_MessageStillInFlight_FailsSendWhileInFlight()
    {
        var platform = new DeterministicPlatform(1);
        var s = new Scheduler(platform);
        var sink = new RecorderActor();
        s.Register(sink, 0);
        var m = new SeqMessage(0, 0);
        s.Send(sink, m);
        var e = Assert.Throws<KassertFailure>(() => s.Send(sink, m));
        Assert.StartsWith("SendWhileInFlight", e.Message);
    }
}

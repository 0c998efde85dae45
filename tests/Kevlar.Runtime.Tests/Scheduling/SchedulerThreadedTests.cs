// A smoke test with real threads, one per CPU, running the real RunLoop with
// semaphore-backed WaitForWakeup.
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Platforms;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Scheduling;

public class SchedulerThreadedTests
{
    public SchedulerThreadedTests() => KassertFailure.Install();

    [Fact]
    public void RunLoop_FourThreadsPingPongMigrateAndCollect_CompletesEverything()
    {
        const int cpus = 4;
        const int perSender = 2_000;
        var platform = new ThreadedPlatform(cpus);
        var client = new RecordingSafepointClient(cpus);
        var s = new Scheduler(platform, client);
        var pings = PingActor.Ring(s, cpus);
        var target = new MigratingActor { Every = 50 };
        s.Register(target, 0);
        int stop = 0;
        var failures = new List<Exception>();
        var threads = new Thread[cpus];
        for (int c = 0; c < cpus; c++)
        {
            int cpu = c;
            threads[c] = new Thread(() =>
            {
                ThreadedPlatform.BindCurrentThread(cpu);
                try
                {
                    s.RunLoop(cpu, () => Volatile.Read(ref stop) != 0);
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
            });
            threads[c].IsBackground = true;
            threads[c].Start();
        }
        for (int c = 0; c < cpus; c++)
        {
            s.Send(pings[c], new BallMessage(5_000));
        }
        // Host-thread senders race with the CPUs and with migrations.
        var senders = new Thread[2];
        for (int t = 0; t < senders.Length; t++)
        {
            int id = t;
            senders[t] = new Thread(() =>
            {
                for (int i = 0; i < perSender; i++)
                {
                    s.Send(target, new SeqMessage(id, i));
                    if (i % 500 == 0)
                    {
                        s.Safepoint.Request();
                    }
                }
            });
            senders[t].Start();
        }
        foreach (var t in senders)
        {
            t.Join();
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (target.Received.Count < 2 * perSender || CountHits(pings) < 4 * 5_001 || s.Safepoint.IsPending))
        {
            Thread.Sleep(10);
        }
        Volatile.Write(ref stop, 1);
        for (int c = 0; c < cpus; c++)
        {
            platform.SendWakeup(c);
        }
        foreach (var t in threads)
        {
            Assert.True(t.Join(TimeSpan.FromSeconds(10)));
        }
        Assert.Empty(failures);
        Assert.Equal(0, target.Violations);
        Assert.Equal(2 * perSender, target.Received.Count);
        Assert.Equal(4 * 5_001, CountHits(pings));
        Assert.True(client.Collections >= 1);
        Assert.Equal(0, client.BadCollections);
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
}

// ConsoleInputRingTests: the console input ring and its one-shot notification,
// driven by the deterministic scheduler (single thread) and by a real producer
// thread racing a real consumer.
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Platforms;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Devices;

public class ConsoleInputRingTests
{
    public ConsoleInputRingTests() => KassertFailure.Install();

    private static (Scheduler, DeterministicDriver, ConsoleReaderActor, ConsoleInputRing) Setup(int chunk = 64)
    {
        var platform = new DeterministicPlatform(2);
        var scheduler = new Scheduler(platform);
        var driver = new DeterministicDriver(scheduler, platform);
        var ring = new ConsoleInputRing();
        var reader = new ConsoleReaderActor(ring, chunk);
        scheduler.Register(reader, 1);
        return (scheduler, driver, reader, ring);
    }

    [Fact]
    public void Take_Empty_ReturnsZero()
    {
        var ring = new ConsoleInputRing();

        Assert.Equal(0, ring.Take(new byte[8]));
    }

    [Fact]
    public void Push_ThenTake_ReturnsBytesInOrderAcrossWrap()
    {
        var ring = new ConsoleInputRing();
        var buf = new byte[ConsoleInputRing.Capacity];
        ring.Push(new byte[ConsoleInputRing.Capacity - 3]);
        Assert.Equal(ConsoleInputRing.Capacity - 3, ring.Take(buf));

        ring.Push("abcdefgh"u8);

        Assert.Equal(3, ring.Take(buf.AsSpan(0, 3)));
        Assert.Equal("abc"u8.ToArray(), buf[..3]);
        Assert.Equal(5, ring.Take(buf));
        Assert.Equal("defgh"u8.ToArray(), buf[..5]);
    }

    [Fact]
    public void Push_Full_DropsAndCounts()
    {
        var ring = new ConsoleInputRing();

        int taken = ring.Push(new byte[ConsoleInputRing.Capacity + 10]);

        Assert.Equal(ConsoleInputRing.Capacity, taken);
        Assert.Equal(10, ring.Dropped);
    }

    [Fact]
    public void Notify_InputAfterRequest_SendsOnce()
    {
        var (_, driver, reader, ring) = Setup();
        reader.Start();
        driver.RunUntilQuiescent();
        Assert.Equal(0, reader.Notifications);

        ring.Push("hi"u8);
        ring.NotifyIfRequested();
        driver.RunUntilQuiescent();

        Assert.Equal(1, reader.Notifications);
        Assert.Equal("hi"u8.ToArray(), reader.Received.ToArray());
    }

    [Fact]
    public void Notify_InputBeforeRequest_SendsAtOnce()
    {
        var (_, driver, reader, ring) = Setup();
        ring.Push("early"u8);

        reader.Start();
        driver.RunUntilQuiescent();

        Assert.Equal("early"u8.ToArray(), reader.Received.ToArray());
    }

    [Fact]
    public void Notify_MoreThanOneTakeWaiting_RearmFiresAgainUntilDrained()
    {
        var (_, driver, reader, ring) = Setup(chunk: 4);
        reader.Start();

        ring.Push("0123456789"u8);
        driver.RunUntilQuiescent();

        Assert.Equal("0123456789"u8.ToArray(), reader.Received.ToArray());
        Assert.Equal(3, reader.Notifications);
    }

    [Fact]
    public void Notify_NoRequest_SendsNothing()
    {
        var (_, driver, reader, ring) = Setup();

        ring.Push("x"u8);
        driver.RunUntilQuiescent();

        Assert.Equal(0, reader.Notifications);
    }

    [Fact]
    public void Notify_SecondRequestWithOtherMessage_Asserts()
    {
        var (_, _, reader, ring) = Setup();
        reader.Start();

        var e = Assert.Throws<KassertFailure>(() => ring.NotifyWhenReadable(reader, new SeqMessage(0, 0)));
        Assert.Contains("ConsoleInputOneRequest", e.Message);
        reader.Start();
    }

    [Fact]
    public void Threads_ProducerRacesConsumer_EveryByteArrivesInOrder()
    {
        const int Total = 200_000;
        var platform = new ThreadedPlatform(2);
        var scheduler = new Scheduler(platform);
        var ring = new ConsoleInputRing();
        var reader = new ConsoleReaderActor(ring, chunk: 7);
        scheduler.Register(reader, 1);
        reader.Start();
        int stop = 0;
        var cpus = new Thread[2];
        for (int c = 0; c < cpus.Length; c++)
        {
            int cpu = c;
            cpus[c] = new Thread(() =>
            {
                ThreadedPlatform.BindCurrentThread(cpu);
                scheduler.RunLoop(cpu, () => Volatile.Read(ref stop) != 0);
            });
            cpus[c].IsBackground = true;
            cpus[c].Start();
        }
        for (int i = 0; i < Total;)
        {
            if (ring.Put((byte)i)) i++;
            if ((i & 63) == 0) ring.NotifyIfRequested();
        }
        ring.NotifyIfRequested();

        bool done = SpinWait.SpinUntil(() => Volatile.Read(ref reader.Count) == Total, 30_000);
        Volatile.Write(ref stop, 1);
        for (int c = 0; c < cpus.Length; c++) platform.SendWakeup(c);
        foreach (Thread t in cpus) t.Join();

        Assert.True(done, "received " + Volatile.Read(ref reader.Count) + " of " + Total);
        for (int i = 0; i < Total; i++) Assert.Equal((byte)i, reader.Received[i]);
    }
}

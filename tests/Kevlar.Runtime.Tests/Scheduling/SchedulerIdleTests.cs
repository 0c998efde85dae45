// The idle protocol on the deterministic twin: announce, re-check, halt, and
// wakeups only for CPUs that announced sleep.
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Platforms;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Scheduling;

public class SchedulerIdleTests
{
    public SchedulerIdleTests() => KassertFailure.Install();

    [Fact]
    public void Step_EmptyMailbox_AnnouncesSleepAndHalts()
    {
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        platform.Current = 0;
        Assert.Equal(LoopStep.Halt, s.Step(0));
        Assert.True(s.IsSleeping(0));
        Assert.Equal(1, s.GetStats(0).Sleeps);
    }

    [Fact]
    public void Send_ToSleepingCpu_SendsOneWakeupAndClearsFlag()
    {
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        var sink = new RecorderActor();
        s.Register(sink, 1);
        platform.Current = 1;
        Assert.Equal(LoopStep.Halt, s.Step(1));
        platform.Current = 0;
        s.Send(sink, new SeqMessage(0, 0));
        s.Send(sink, new SeqMessage(0, 1));
        Assert.False(s.IsSleeping(1));
        Assert.Equal(1, platform.WakeupsSent);
        Assert.Equal(1, s.GetStats(1).WakeupsSent);
    }

    [Fact]
    public void Send_ToRunningCpu_SendsNoWakeup()
    {
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        var sink = new RecorderActor();
        s.Register(sink, 1);
        s.Send(sink, new SeqMessage(0, 0));
        Assert.Equal(0, platform.WakeupsSent);
    }

    [Fact]
    public void Step_MessageArrivesAfterEmptyRunOnce_RecheckPreventsHalt()
    {
        // Emulate the race: the message lands between RunOnce and the
        // announcement, which Step exposes as an interleave point.
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        var sink = new RecorderActor();
        s.Register(sink, 0);
        // Every shared access is a point (Atomic): count those of the safepoint
        // poll and an empty RunOnce, which Step repeats; the next is the sleep
        // announcement, just before which the message lands.
        int inject = 0;
        Kevlar.Runtime.Threading.InterleaveHook.Handler = () => inject++;
        platform.Current = 0;
        s.Safepoint.Poll(0);
        s.RunOnce(0);
        int points = 0;
        Kevlar.Runtime.Threading.InterleaveHook.Handler = () =>
        {
            if (points++ == inject)
            {
                int saved = platform.Current;
                platform.Current = 1;
                s.Send(sink, new SeqMessage(1, 0));
                platform.Current = saved;
            }
        };
        try
        {
            platform.Current = 0;
            Assert.Equal(LoopStep.Worked, s.Step(0));
            Assert.False(s.IsSleeping(0));
            Assert.False(s.MailboxEmpty(0));
        }
        finally
        {
            Kevlar.Runtime.Threading.InterleaveHook.Handler = null;
        }
    }

    [Fact]
    public void PingPong_TwoCpus_EveryHaltEndsByWakeup()
    {
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        var a = new PingActor();
        var b = new PingActor();
        a.Peer = b;
        b.Peer = a;
        s.Register(a, 0);
        s.Register(b, 1);
        s.Send(a, new BallMessage(99));
        var d = new DeterministicDriver(s, platform);
        d.RunUntilQuiescent();
        Assert.Equal(50, a.Hits);
        Assert.Equal(50, b.Hits);
        long sleeps = s.GetStats(0).Sleeps + s.GetStats(1).Sleeps;
        long wakeups = s.GetStats(0).WakeupsSent + s.GetStats(1).WakeupsSent;
        Assert.True(sleeps > 0);
        // Both CPUs end halted; every other halt was ended by a wakeup.
        Assert.Equal(sleeps - 2, wakeups);
    }
}

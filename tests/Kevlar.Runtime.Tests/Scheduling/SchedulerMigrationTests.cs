// Actor migration on the deterministic twin: order per sender, exactly-once
// delivery, delivery only on the current home.
using Kevlar.Runtime.Scheduling;
using Kevlar.Runtime.Tests.Platforms;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Scheduling;

public class SchedulerMigrationTests
{
    public SchedulerMigrationTests() => KassertFailure.Install();

    [Theory]
    [InlineData(null)]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(42)]
    public void Migrate_WhileSendersFlood_PreservesOrderPerSender(int? seed)
    {
        const int cpus = 4;
        const int perSender = 60;
        var platform = new DeterministicPlatform(cpus);
        var s = new Scheduler(platform);
        var target = new MigratingActor { Every = 5 };
        s.Register(target, 0);
        var senders = new RecorderActor[cpus];
        for (int c = 0; c < cpus; c++)
        {
            int me = c;
            senders[c] = new RecorderActor
            {
                // Each "tick" sends one numbered message and schedules the next tick.
                OnReceive = (self, tick) =>
                {
                    self.SendFrom(target, new SeqMessage(me, tick.Seq));
                    if (tick.Seq + 1 < perSender)
                    {
                        self.SendFrom(self, new SeqMessage(-1, tick.Seq + 1));
                    }
                },
            };
            s.Register(senders[c], c);
            s.Send(senders[c], new SeqMessage(-1, 0));
        }
        new DeterministicDriver(s, platform, seed).RunUntilQuiescent();
        Assert.Equal(0, target.Violations);
        Assert.Equal(cpus * perSender, target.Received.Count);
        Assert.True(target.Migrations > 1, "migrations: " + target.Migrations);
        long forwarded = 0;
        for (int c = 0; c < cpus; c++)
        {
            forwarded += s.GetStats(c).Forwarded;
        }
        Assert.True(forwarded > 0);
    }

    [Fact]
    public void Migrate_ToCurrentHome_ReturnsFalse()
    {
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        var a = new RecorderActor();
        s.Register(a, 1);
        platform.Current = 1;
        Assert.False(s.Migrate(a, 1));
        Assert.Equal(1, a.Home);
    }

    [Fact]
    public void Migrate_SecondWhileFirstInProgress_ReturnsFalse()
    {
        var platform = new DeterministicPlatform(3);
        var s = new Scheduler(platform);
        var a = new RecorderActor();
        s.Register(a, 0);
        platform.Current = 0;
        Assert.True(s.Migrate(a, 1));
        platform.Current = 1;
        Assert.False(s.Migrate(a, 2));
        new DeterministicDriver(s, platform).RunUntilQuiescent();
        platform.Current = 1;
        Assert.True(s.Migrate(a, 2));
    }

    [Fact]
    public void Migrate_MessagesQueuedAtOldHome_AreForwardedInOrder()
    {
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        var a = new RecorderActor();
        s.Register(a, 0);
        for (int i = 0; i < 5; i++)
        {
            s.Send(a, new SeqMessage(9, i));
        }
        platform.Current = 0;
        Assert.True(s.Migrate(a, 1));
        platform.Current = -1;
        for (int i = 5; i < 10; i++)
        {
            s.Send(a, new SeqMessage(9, i)); // direct to the new home: held
        }
        new DeterministicDriver(s, platform).RunUntilQuiescent();
        Assert.Equal(0, a.Violations);
        Assert.Equal(10, a.Received.Count);
        Assert.All(a.Received, r => Assert.Equal(1, r.Cpu));
        Assert.Equal(5, s.GetStats(0).Forwarded);
    }

    [Fact]
    public void Migrate_OffHomeCpu_FailsMigrateFromHome()
    {
        var platform = new DeterministicPlatform(2);
        var s = new Scheduler(platform);
        var a = new RecorderActor();
        s.Register(a, 0);
        platform.Current = 1;
        var e = Assert.Throws<KassertFailure>(() => s.Migrate(a, 1));
        Assert.StartsWith("MigrateFromHome", e.Message);
    }
}

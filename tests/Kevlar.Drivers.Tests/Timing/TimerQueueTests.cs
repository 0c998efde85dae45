// TimerQueueTests: the per-CPU timer heap gives handles back earliest first
// whatever order they came in, keeps called-off ones out of what it holds for
// long (a sweep once the queue has doubled), and lets equal deadlines all out.
using System;
using System.Collections.Generic;
using Kevlar.Drivers.X86_64.Timing;
using Kevlar.Runtime.Devices;
using Xunit;

namespace Kevlar.Drivers.Tests.Timing;

public class TimerQueueTests
{
    private static TimerHandle Handle(ulong deadline) => new(deadline, null!, null!);

    [Fact]
    public void TakesTheEarliestFirst_InAnyInsertionOrder()
    {
        var q = new TimerQueue();
        var random = new Random(7);
        var deadlines = new List<ulong>();
        for (int i = 0; i < 5000; i++)
        {
            ulong d = (ulong)random.Next(1, 1000); // many equal deadlines
            deadlines.Add(d);
            q.Add(Handle(d));
        }
        deadlines.Sort();
        foreach (ulong d in deadlines) Assert.Equal(d, q.TakeEarliest().Deadline);
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void CalledOffHandles_AreSweptOnceTheQueueDoubles_AndTheRestStayInOrder()
    {
        var q = new TimerQueue();
        var live = new List<ulong>();
        for (int i = 0; i < 10000; i++)
        {
            TimerHandle h = Handle((ulong)(10000 - i));
            q.Add(h);
            if (i % 10 != 0) h.Cancel(); // TIME_WAIT timers called off by a new connection, say
            else live.Add(h.Deadline);
        }
        Assert.True(q.Count <= 2 * live.Count + 64, $"{q.Count} held for {live.Count} armed");
        live.Sort();
        var taken = new List<ulong>();
        while (q.Count > 0)
        {
            TimerHandle h = q.TakeEarliest();
            if (!h.IsCancelled) taken.Add(h.Deadline);
        }
        Assert.Equal(live, taken);
    }
}

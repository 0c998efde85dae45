// FakeTimers: the host twin of the timer service. It records each request;
// the test fires one (or every one due by the clock), which sends its message
// through the scheduler as the metal timer interrupt does.
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Xunit;

namespace Kevlar.Process.Tests.Support;

public sealed class FakeTimers : ITimerService
{
    public sealed record Request(ulong Deadline, Actor Target, Message Message);

    /// <summary>Requests not fired yet, in the order they were made.</summary>
    public List<Request> Pending { get; } = new();

    public void SendAt(ulong deadlineNanoseconds, Actor target, Message message)
        => Pending.Add(new Request(deadlineNanoseconds, target, message));

    /// <summary>Handles given out by Start, in order; a called-off one is dropped from Pending when
    /// the test fires what is due (as the metal queue drops it at its deadline).</summary>
    public List<(TimerHandle Handle, Request Request)> Handles { get; } = new();

    public TimerHandle Start(ulong deadlineNanoseconds, Actor target, Message message)
    {
        var handle = new TimerHandle(deadlineNanoseconds, target, message);
        var request = new Request(deadlineNanoseconds, target, new HandleFire(handle));
        Pending.Add(request);
        Handles.Add((handle, request));
        return handle;
    }

    /// <summary>Requests not fired yet whose handle was not called off.</summary>
    public IEnumerable<Request> Armed => Pending.Where(r => r.Message is not HandleFire f || !f.Handle.IsCancelled);

    // What Pending holds for a handle: firing it sends the handle's message unless called off.
    private sealed class HandleFire(TimerHandle handle) : Message
    {
        public readonly TimerHandle Handle = handle;
    }

    /// <summary>Sends the message of <paramref name="request"/> now.</summary>
    public void Fire(Request request)
    {
        Assert.True(Pending.Remove(request), "the timer was fired already");
        Scheduler? scheduler = request.Target.Scheduler;
        Assert.NotNull(scheduler);
        if (request.Message is HandleFire f)
        {
            if (f.Handle.TryFire(out Actor target, out Message message)) scheduler.Send(target, message);
            return;
        }
        scheduler.Send(request.Target, request.Message);
    }

    /// <summary>Fires every request whose deadline is at or before <paramref name="now"/>.</summary>
    public void FireDue(ulong now)
    {
        foreach (Request r in Pending.Where(r => r.Deadline <= now).ToList()) Fire(r);
    }
}

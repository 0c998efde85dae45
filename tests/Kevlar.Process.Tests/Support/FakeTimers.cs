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

    /// <summary>Sends the message of <paramref name="request"/> now.</summary>
    public void Fire(Request request)
    {
        Assert.True(Pending.Remove(request), "the timer was fired already");
        Scheduler? scheduler = request.Target.Scheduler;
        Assert.NotNull(scheduler);
        scheduler.Send(request.Target, request.Message);
    }

    /// <summary>Fires every request whose deadline is at or before <paramref name="now"/>.</summary>
    public void FireDue(ulong now)
    {
        foreach (Request r in Pending.Where(r => r.Deadline <= now).ToList()) Fire(r);
    }
}

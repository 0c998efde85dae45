// ITimerService: a message delivered at a time. Metal keeps a deadline queue
// per CPU and programs the local APIC's one-shot timer for the nearest one;
// the host twin lets the test advance time by hand.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Runtime.Devices;

public interface ITimerService
{
    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> once the monotonic
    /// clock reaches <paramref name="deadlineNanoseconds"/> (at once if it has). Call on the
    /// target's home CPU, from one of its handlers.</summary>
    void SendAt(ulong deadlineNanoseconds, Actor target, Message message);

    /// <summary>As <see cref="SendAt"/>, with a handle that calls the timer off from any CPU (a
    /// wait that ends before its deadline, an owner that goes away). Same calling rule.</summary>
    TimerHandle Start(ulong deadlineNanoseconds, Actor target, Message message);
}

// HostDevices: the platform services a ProcessHost receives, as the process
// scenarios need them — a console that keeps nothing, a clock that stands
// still, a power switch that records the status, fixed memory figures, and a
// timer service no scenario may use (its sleeps would never end).
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Microsoft.Coyote.Specifications;

namespace Kevlar.Coyote.Mocks.Processes;

public sealed class HostDevices : IConsoleDevice, ISystemClock, ISystemControl, IMemoryInfo, ITimerService
{
    /// <summary>The status given to PowerOff (init exited), or null.</summary>
    public int? PowerOffStatus { get; private set; }

    public ulong MonotonicNanoseconds => 1_000_000_000;

    public ulong RealtimeAtBoot => 1_700_000_000UL * 1_000_000_000;

    public ulong TotalBytes => 64UL << 20;

    public ulong FreeBytes => 32UL << 20;

    public ulong KernelHeapBytes => 0;

    public void Write(ReadOnlySpan<byte> bytes)
    {
    }

    public void PowerOff(int exitStatus) => PowerOffStatus = exitStatus;

    public void SendAt(ulong deadlineNanoseconds, Actor target, Message message) =>
        Specification.Assert(false, "HostDevices: a process scenario armed a timer");

    public TimerHandle Start(ulong deadlineNanoseconds, Actor target, Message message)
    {
        Specification.Assert(false, "HostDevices: a process scenario armed a timer");
        return new TimerHandle(deadlineNanoseconds, target, message);
    }
}

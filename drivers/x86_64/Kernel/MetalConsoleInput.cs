// The console input device on metal: COM1's receiver (Console/SerialInput.cs).
// When the machine has no I/O APIC to route its interrupt, there is never any
// input and a notification request is kept but never answered.
using System;
using Kevlar.Drivers.X86_64.Console;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalConsoleInput : IConsoleInput
{
    public int Take(Span<byte> into) => SerialInput.Ring?.Take(into) ?? 0;

    public void NotifyWhenReadable(Actor target, Message message) => SerialInput.Ring?.NotifyWhenReadable(target, message);

    public long Dropped => SerialInput.Ring?.Dropped ?? 0;
}

// Coyote events of the CPU actors: the loop's next pass and an IPI.
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Harness;

/// <summary>Creates a CPU actor for one simulated CPU of a world.</summary>
public sealed class CpuInit : Event
{
    public CpuInit(World world, int cpu)
    {
        World = world;
        Cpu = cpu;
    }

    public World World { get; }

    public int Cpu { get; }
}

/// <summary>Run the next pass of the CPU's loop (self-sent).</summary>
public sealed class TickEvent : Event
{
    public static readonly TickEvent Instance = new();
}

/// <summary>An inter-processor interrupt: ICpuPlatform.SendWakeup.</summary>
public sealed class IpiEvent : Event
{
    public static readonly IpiEvent Instance = new();
}

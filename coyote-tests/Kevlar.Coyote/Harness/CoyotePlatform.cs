// CoyotePlatform: ICpuPlatform for the Coyote host. The running CPU is kept
// per controlled operation (AsyncLocal), a wakeup is an IpiEvent sent to that
// CPU's actor, and halting is modelled by CpuActor rather than by blocking.
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Coyote.Harness;

public sealed class CoyotePlatform : ICpuPlatform
{
    private static readonly AsyncLocal<int> s_cpuPlusOne = new();
    private readonly World _world;

    public CoyotePlatform(World world, int cpuCount)
    {
        _world = world;
        CpuCount = cpuCount;
    }

    public int CpuCount { get; }

    public int CurrentCpu => s_cpuPlusOne.Value - 1;

    /// <summary>Marks the calling operation as running on <paramref name="cpu"/>
    /// (-1: outside any CPU).</summary>
    public static void Bind(int cpu) => s_cpuPlusOne.Value = cpu + 1;

    public void SendWakeup(int cpu) => _world.SendIpi(cpu);

    public void WaitForWakeup() =>
        throw new InvalidOperationException("CpuActor models halting; RunLoop is not used under Coyote");

    public void Pause()
    {
    }
}

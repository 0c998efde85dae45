// CpuActor: one simulated CPU. Each TickEvent runs one pass of the real
// Scheduler.Step; Halt leaves the actor waiting for an IpiEvent, just as hlt
// waits for an interrupt. An IPI that arrives while the CPU runs stays pending
// (interrupts are off in the loop) and makes the next halt return at once.
using LoopStep = Kevlar.Runtime.Scheduling.LoopStep;
using Microsoft.Coyote.Actors;

namespace Kevlar.Coyote.Harness;

[OnEventDoAction(typeof(TickEvent), nameof(OnTick))]
[OnEventDoAction(typeof(IpiEvent), nameof(OnIpi))]
public sealed class CpuActor : Microsoft.Coyote.Actors.Actor
{
    private World _world = null!;
    private int _cpu;
    private bool _halted;
    private bool _pendingIpi;

    protected override Task OnInitializeAsync(Event initialEvent)
    {
        var init = (CpuInit)initialEvent;
        _world = init.World;
        _cpu = init.Cpu;
        _world.AttachCpu(_cpu, Id);
        SendEvent(Id, TickEvent.Instance);
        return Task.CompletedTask;
    }

    private void OnTick()
    {
        CoyotePlatform.Bind(_cpu);
        LoopStep s = _world.Scheduler.Step(_cpu);
        CoyotePlatform.Bind(-1);
        if (s != LoopStep.Halt)
        {
            SendEvent(Id, TickEvent.Instance);
        }
        else if (_pendingIpi)
        {
            _pendingIpi = false;
            _world.Scheduler.EndSleep(_cpu);
            SendEvent(Id, TickEvent.Instance);
        }
        else
        {
            _halted = true;
            _world.OnHalted(_cpu);
        }
        _world.Observe();
    }

    private void OnIpi()
    {
        _world.OnIpiDelivered();
        if (_halted)
        {
            _halted = false;
            _world.OnWoke(_cpu);
            _world.Scheduler.EndSleep(_cpu);
            SendEvent(Id, TickEvent.Instance);
        }
        else
        {
            _pendingIpi = true;
        }
        _world.Observe();
    }
}

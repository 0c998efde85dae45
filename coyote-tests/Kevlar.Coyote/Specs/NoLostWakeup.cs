// Liveness: a process sleeping in wait4 wakes once a child it must reap has
// exited (its own child, or an orphan it adopted as init). Hot while some live
// process sleeps in wait4 with such a child exited and unreaped; the exit
// report reaching it and the reap cool it.
using Microsoft.Coyote.Specifications;
using Monitor = Microsoft.Coyote.Specifications.Monitor;

namespace Kevlar.Coyote.Specs;

public sealed class NoLostWakeup : Monitor
{
    public sealed class Observed : Event
    {
        public Observed(bool waiterWithZombie) => WaiterWithZombie = waiterWithZombie;

        public bool WaiterWithZombie { get; }
    }

    [Start]
    [Cold]
    [OnEventDoAction(typeof(Observed), nameof(OnObserved))]
    private sealed class NoWaiterBehind : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(Observed), nameof(OnObserved))]
    private sealed class WaiterWithZombie : State
    {
    }

    private bool _hot;

    // Transitions only on a change, so a hot state's temperature keeps rising.
    private void OnObserved(Event e)
    {
        bool hot = ((Observed)e).WaiterWithZombie;
        if (hot == _hot)
        {
            return;
        }
        _hot = hot;
        if (hot)
        {
            RaiseGotoStateEvent<WaiterWithZombie>();
        }
        else
        {
            RaiseGotoStateEvent<NoWaiterBehind>();
        }
    }
}

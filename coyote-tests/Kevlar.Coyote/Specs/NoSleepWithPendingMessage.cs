// Liveness: no CPU stays halted while its mailbox holds a message. Hot while
// some halted CPU has mail; a correct wakeup cools it.
using Microsoft.Coyote.Specifications;
using Monitor = Microsoft.Coyote.Specifications.Monitor;

namespace Kevlar.Coyote.Specs;

public sealed class NoSleepWithPendingMessage : Monitor
{
    public sealed class Observed : Event
    {
        public Observed(bool haltedWithWork) => HaltedWithWork = haltedWithWork;

        public bool HaltedWithWork { get; }
    }

    [Start]
    [Cold]
    [OnEventDoAction(typeof(Observed), nameof(OnObserved))]
    private sealed class AllCpusServed : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(Observed), nameof(OnObserved))]
    private sealed class CpuHaltedWithMail : State
    {
    }

    private bool _hot;

    // Transitions only on a change, so a hot state's temperature keeps rising.
    private void OnObserved(Event e)
    {
        bool hot = ((Observed)e).HaltedWithWork;
        if (hot == _hot)
        {
            return;
        }
        _hot = hot;
        if (hot)
        {
            RaiseGotoStateEvent<CpuHaltedWithMail>();
        }
        else
        {
            RaiseGotoStateEvent<AllCpusServed>();
        }
    }
}

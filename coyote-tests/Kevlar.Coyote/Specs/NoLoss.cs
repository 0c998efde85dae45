// Liveness: every sent message is eventually delivered. Hot while any
// message is outstanding.
using Microsoft.Coyote.Specifications;
using Monitor = Microsoft.Coyote.Specifications.Monitor;

namespace Kevlar.Coyote.Specs;

public sealed class NoLoss : Monitor
{
    public sealed class Observed : Event
    {
        public Observed(int outstanding) => Outstanding = outstanding;

        public int Outstanding { get; }
    }

    [Start]
    [Cold]
    [OnEventDoAction(typeof(Observed), nameof(OnObserved))]
    private sealed class NothingOutstanding : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(Observed), nameof(OnObserved))]
    private sealed class MessagesOutstanding : State
    {
    }

    private bool _hot;

    // Transitions only on a change, so a hot state's temperature keeps rising.
    private void OnObserved(Event e)
    {
        bool hot = ((Observed)e).Outstanding > 0;
        if (hot == _hot)
        {
            return;
        }
        _hot = hot;
        if (hot)
        {
            RaiseGotoStateEvent<MessagesOutstanding>();
        }
        else
        {
            RaiseGotoStateEvent<NothingOutstanding>();
        }
    }
}

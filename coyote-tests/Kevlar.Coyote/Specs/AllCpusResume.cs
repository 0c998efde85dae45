// Liveness: every requested collection completes and every CPU resumes. Hot
// while a collection is requested or under way.
using Microsoft.Coyote.Specifications;
using Monitor = Microsoft.Coyote.Specifications.Monitor;

namespace Kevlar.Coyote.Specs;

public sealed class AllCpusResume : Monitor
{
    public sealed class Observed : Event
    {
        public Observed(bool pending) => Pending = pending;

        public bool Pending { get; }
    }

    [Start]
    [Cold]
    [OnEventDoAction(typeof(Observed), nameof(OnObserved))]
    private sealed class Running : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(Observed), nameof(OnObserved))]
    private sealed class CollectionPending : State
    {
    }

    private bool _hot;

    // Transitions only on a change, so a hot state's temperature keeps rising.
    private void OnObserved(Event e)
    {
        bool hot = ((Observed)e).Pending;
        if (hot == _hot)
        {
            return;
        }
        _hot = hot;
        if (hot)
        {
            RaiseGotoStateEvent<CollectionPending>();
        }
        else
        {
            RaiseGotoStateEvent<Running>();
        }
    }
}

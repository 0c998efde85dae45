// ICgroupWaiter: a poller of a cgroup.events file as the tree sees it. The
// tree calls ICgroupHost.Wake once for it at the next change of that cgroup's
// events and forgets it (the poller asks again). Done: it stopped waiting;
// the tree drops it at its next look.
namespace Kevlar.Cgroups;

public interface ICgroupWaiter
{
    bool Done { get; }
}

// ILockWaiter: how a lock table reaches a blocked caller without knowing
// what it is. The kernel's waiter sends the waiting thread a wake message;
// host tests count wakes. The wake carries nothing: the caller asks again.
namespace Kevlar.Locks;

public interface ILockWaiter
{
    /// <summary>The caller stopped waiting (a signal, its exit): tables drop the registration.</summary>
    bool IsDone { get; }

    /// <summary>The lock may be free now: ask again. Called at most once per registration.</summary>
    void Wake();
}

using Kevlar.Locks;

namespace Kevlar.Locks.Tests;

/// <summary>A waiter that counts its wakes; Done marks it abandoned (a signal).</summary>
internal sealed class FakeWaiter : ILockWaiter
{
    public int Wakes;
    public bool Done;

    public bool IsDone => Done;

    public void Wake() => Wakes++;
}

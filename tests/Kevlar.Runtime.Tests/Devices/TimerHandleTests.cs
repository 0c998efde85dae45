// TimerHandleTests: a timer fires once or is called off, never both; calling
// it off lets go of its target and message at once; racing a cancel against
// the owner's fire from two threads leaves exactly one winner.
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Devices;

public class TimerHandleTests
{
    [Fact]
    public void TryFire_Armed_GivesTargetAndMessageOnce()
    {
        var target = new RecorderActor();
        var message = new SeqMessage(1, 0);
        var h = new TimerHandle(5, target, message);

        Assert.True(h.TryFire(out var to, out var m));
        Assert.Same(target, to);
        Assert.Same(message, m);
        Assert.False(h.TryFire(out _, out _));
        Assert.False(h.IsCancelled);
    }

    [Fact]
    public void Cancel_BeforeTheDeadline_NeverFiresAndDropsItsReferences()
    {
        var h = new TimerHandle(5, new RecorderActor(), new SeqMessage(1, 0));
        var weak = MakeWeakTarget(out TimerHandle held);

        h.Cancel();
        held.Cancel();
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.True(h.IsCancelled);
        Assert.False(h.TryFire(out _, out _));
        Assert.False(weak.TryGetTarget(out _), "a called-off timer still holds its target");
        GC.KeepAlive(held);
    }

    [Fact]
    public void Cancel_AfterFiring_ChangesNothing()
    {
        var h = new TimerHandle(5, new RecorderActor(), new SeqMessage(1, 0));
        Assert.True(h.TryFire(out _, out _));

        h.Cancel();

        Assert.False(h.IsCancelled);
    }

    [Fact]
    public void CancelAndFire_RacingOnTwoThreads_ExactlyOneWins()
    {
        for (int i = 0; i < 2000; i++)
        {
            var h = new TimerHandle(5, new RecorderActor(), new SeqMessage(1, i));
            bool fired = false;
            var canceller = new Thread(h.Cancel);
            canceller.Start();
            fired = h.TryFire(out _, out _);
            canceller.Join();
            Assert.True(fired != h.IsCancelled, $"round {i}: fired {fired}, cancelled {h.IsCancelled}");
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<RecorderActor> MakeWeakTarget(out TimerHandle handle)
    {
        var target = new RecorderActor();
        handle = new TimerHandle(5, target, new SeqMessage(1, 0));
        return new WeakReference<RecorderActor>(target);
    }
}

// KernelEvent<T> without a scheduler: suspension and resumption of awaiting
// methods, synchronous completion, Reset loops, and the one-waiter and
// set-once assertions.
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Async;

public class KernelEventTests
{
    public KernelEventTests() => KassertFailure.Install();

    private static async KernelTask<int> AwaitPlusOne(KernelEvent<int> e, List<string> log)
    {
        log.Add("before");
        int v = await e;
        log.Add("after " + v);
        return v + 1;
    }

    [Fact]
    public void Await_UnsetEvent_SuspendsUntilSet()
    {
        var e = new KernelEvent<int>();
        var log = new List<string>();
        KernelTask<int> t = AwaitPlusOne(e, log);
        Assert.False(t.IsCompleted);
        Assert.Equal(new[] { "before" }, log);
        e.Set(41);
        Assert.True(t.IsCompleted);
        Assert.Equal(42, t.Result);
        Assert.Equal(new[] { "before", "after 41" }, log);
    }

    [Fact]
    public void Set_WithWaiter_ResumesBeforeReturning()
    {
        var e = new KernelEvent<int>();
        var log = new List<string>();
        KernelTask<int> t = AwaitPlusOne(e, log);
        log.Add("set");
        e.Set(1);
        log.Add("set returned");
        Assert.Equal(new[] { "before", "set", "after 1", "set returned" }, log);
    }

    [Fact]
    public void Await_AlreadySetEvent_CompletesSynchronously()
    {
        var e = new KernelEvent<int>();
        e.Set(7);
        var log = new List<string>();
        KernelTask<int> t = AwaitPlusOne(e, log);
        Assert.True(t.IsCompleted);
        Assert.Equal(8, t.Result);
        Assert.Equal(new[] { "before", "after 7" }, log);
    }

    private static async KernelTask<long> SumUntilZero(KernelEvent<int> e)
    {
        long sum = 0;
        while (true)
        {
            int v = await e;
            e.Reset();
            if (v == 0)
            {
                return sum;
            }
            sum += v;
        }
    }

    [Fact]
    public void Await_LoopWithReset_ReceivesEveryValue()
    {
        var e = new KernelEvent<int>();
        KernelTask<long> t = SumUntilZero(e);
        for (int i = 1; i <= 100; i++)
        {
            Assert.False(t.IsCompleted);
            e.Set(i);
            Assert.False(e.IsSet);
        }
        e.Set(0);
        Assert.True(t.IsCompleted);
        Assert.Equal(5050, t.Result);
    }

    [Fact]
    public void Await_LoopWithValueSetBeforeEachAwait_NeverSuspends()
    {
        var e = new KernelEvent<int>();
        e.Set(0);
        KernelTask<long> t = SumUntilZero(e);
        Assert.True(t.IsCompleted);
        Assert.Equal(0, t.Result);
    }

    [Fact]
    public void Await_SecondWaiter_FailsOneWaiter()
    {
        var e = new KernelEvent<int>();
        _ = AwaitPlusOne(e, new List<string>());
        var ex = Assert.Throws<KassertFailure>(() => AwaitPlusOne(e, new List<string>()));
        // The failure is raised inside the method's MoveNext, whose catch hands it to SetException.
        Assert.StartsWith("KernelTaskFault: an async kernel method threw: KernelEventOneWaiter:", ex.Message);
    }

    [Fact]
    public void Set_Twice_FailsSetOnce()
    {
        var e = new KernelEvent<int>();
        e.Set(1);
        var ex = Assert.Throws<KassertFailure>(() => e.Set(2));
        Assert.StartsWith("KernelEventSetOnce:", ex.Message);
    }

    [Fact]
    public void Value_Unset_FailsValueReady()
    {
        var e = new KernelEvent<string>();
        var ex = Assert.Throws<KassertFailure>(() => e.Value);
        Assert.StartsWith("KernelEventValueReady:", ex.Message);
    }

    [Fact]
    public void Reset_SetEvent_IsUnsetAndSettableAgain()
    {
        var e = new KernelEvent<string>();
        e.Set("a");
        Assert.True(e.IsSet);
        Assert.Equal("a", e.Value);
        e.Reset();
        Assert.False(e.IsSet);
        e.Set("b");
        Assert.Equal("b", e.Value);
    }
}

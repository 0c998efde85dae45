// KernelTask<T> and KernelTask: chains of async methods, the OnCompleted hook
// for non-async callers, many independent suspended methods, and the
// assertions that replace exceptions.
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Tests.Support;
using Xunit;

namespace Kevlar.Runtime.Tests.Async;

public class KernelTaskTests
{
    public KernelTaskTests() => KassertFailure.Install();

    private static async KernelTask<int> Leaf(KernelEvent<int> e) => await e;

    private static async KernelTask<int> Middle(KernelEvent<int> e)
    {
        int v = await Leaf(e);
        return v * 10;
    }

    private static async KernelTask<int> Top(KernelEvent<int> first, KernelEvent<int> second)
    {
        int a = await Middle(first);
        int b = await Middle(second);
        return a + b;
    }

    [Fact]
    public void Await_ChainOfMethods_ResumesEveryLevelInOrder()
    {
        var first = new KernelEvent<int>();
        var second = new KernelEvent<int>();
        KernelTask<int> t = Top(first, second);
        Assert.False(t.IsCompleted);
        first.Set(1);
        Assert.False(t.IsCompleted);
        second.Set(2);
        Assert.True(t.IsCompleted);
        Assert.Equal(30, t.Result);
    }

    [Fact]
    public void Await_ChainWithEverythingSet_CompletesSynchronously()
    {
        var first = new KernelEvent<int>();
        var second = new KernelEvent<int>();
        first.Set(4);
        second.Set(5);
        KernelTask<int> t = Top(first, second);
        Assert.True(t.IsCompleted);
        Assert.Equal(90, t.Result);
    }

    private static async KernelTask<int> Depth(KernelEvent<int> e, int levels)
    {
        if (levels == 0)
        {
            return await e;
        }
        return 1 + await Depth(e, levels - 1);
    }

    [Fact]
    public void Await_DeepChain_UnwindsThroughEveryLevel()
    {
        var e = new KernelEvent<int>();
        KernelTask<int> t = Depth(e, 200);
        Assert.False(t.IsCompleted);
        e.Set(1000);
        Assert.Equal(1200, t.Result);
    }

    [Fact]
    public void OnCompleted_AlreadyCompletedTask_ReturnsFalseAndNeverCalls()
    {
        var e = new KernelEvent<int>();
        e.Set(3);
        KernelTask<int> t = Leaf(e);
        int calls = 0;
        Assert.False(t.OnCompleted(_ => calls++));
        Assert.Equal(3, t.Result);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void OnCompleted_PendingTask_RunsOnceWithResult()
    {
        var e = new KernelEvent<int>();
        KernelTask<int> t = Middle(e);
        var seen = new List<int>();
        Assert.True(t.OnCompleted(seen.Add));
        Assert.Empty(seen);
        e.Set(6);
        Assert.Equal(new[] { 60 }, seen);
    }

    [Fact]
    public void OnCompleted_SecondContinuation_FailsOneContinuation()
    {
        var e = new KernelEvent<int>();
        KernelTask<int> t = Leaf(e);
        Assert.True(t.OnCompleted(_ => { }));
        var ex = Assert.Throws<KassertFailure>(() => t.OnCompleted(_ => { }));
        Assert.StartsWith("KernelTaskOneContinuation:", ex.Message);
    }

    [Fact]
    public void FromResult_AnyValue_IsCompletedWithIt()
    {
        KernelTask<string> t = KernelTask<string>.FromResult("x");
        Assert.True(t.IsCompleted);
        Assert.Equal("x", t.Result);
    }

    [Fact]
    public void FromResult_SmallLong_IsOneSharedCompletedTask_OthersAreNew()
    {
        foreach (long v in new long[] { -256, -14, 0, 1, 4096 })
        {
            KernelTask<long> a = KernelTask<long>.FromResult(v), b = KernelTask<long>.FromResult(v);
            Assert.Same(a, b);
            Assert.True(a.IsCompleted);
            Assert.Equal(v, a.Result);
            Assert.False(a.OnCompleted(_ => throw new InvalidOperationException("never")));
        }
        foreach (long v in new long[] { -257, 4097, long.MaxValue })
        {
            Assert.NotSame(KernelTask<long>.FromResult(v), KernelTask<long>.FromResult(v));
            Assert.Equal(v, KernelTask<long>.FromResult(v).Result);
        }
        Assert.Equal(7, KernelTask<int>.FromResult(7).Result);
    }

    [Fact]
    public void Result_PendingTask_FailsResultReady()
    {
        KernelTask<int> t = Leaf(new KernelEvent<int>());
        var ex = Assert.Throws<KassertFailure>(() => t.Result);
        Assert.StartsWith("KernelTaskResultReady:", ex.Message);
    }

    [Fact]
    public void Await_ManyIndependentTasks_EachCompletesWithItsOwnValue()
    {
        const int n = 1000;
        var events = new KernelEvent<int>[n];
        var tasks = new KernelTask<int>[n];
        for (int i = 0; i < n; i++)
        {
            events[i] = new KernelEvent<int>();
            tasks[i] = Middle(events[i]);
        }
        // Complete them in a scrambled order; each completion touches only its own task.
        for (int k = 0; k < n; k++)
        {
            int i = (k * 379) % n;
            events[i].Set(i);
            Assert.True(tasks[i].IsCompleted);
        }
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(i * 10, tasks[i].Result);
        }
    }

    private static async KernelTask Store(KernelEvent<int> e, List<int> into)
    {
        into.Add(await e);
    }

    private static async KernelTask Nothing(List<int> into)
    {
        into.Add(-1);
        await KernelTask.CompletedTask;
    }

    [Fact]
    public void Await_NonGenericPending_CompletesWhenSet()
    {
        var e = new KernelEvent<int>();
        var into = new List<int>();
        KernelTask t = Store(e, into);
        Assert.False(t.IsCompleted);
        bool ran = false;
        Assert.True(t.OnCompleted(() => ran = true));
        e.Set(9);
        Assert.True(t.IsCompleted);
        Assert.True(ran);
        Assert.Equal(new[] { 9 }, into);
    }

    [Fact]
    public void Await_NonGenericWithoutSuspending_ReturnsSharedCompletedTask()
    {
        var into = new List<int>();
        KernelTask t = Nothing(into);
        Assert.Same(KernelTask.CompletedTask, t);
        Assert.False(t.OnCompleted(() => { }));
        Assert.Equal(new[] { -1 }, into);
    }

    private static async KernelTask<int> ThrowAfterAwait(KernelEvent<int> e)
    {
        int v = await e;
        if (v > 0)
        {
            throw new InvalidOperationException("boom " + v);
        }
        return v;
    }

    [Fact]
    public void SetException_MethodThrowsAfterResuming_FailsKernelTaskFault()
    {
        var e = new KernelEvent<int>();
        KernelTask<int> t = ThrowAfterAwait(e);
        var ex = Assert.Throws<KassertFailure>(() => e.Set(5));
        Assert.Equal("KernelTaskFault: an async kernel method threw: boom 5", ex.Message);
        Assert.False(t.IsCompleted);
    }
}

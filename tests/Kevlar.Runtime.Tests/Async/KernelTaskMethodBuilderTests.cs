// The state machines the C# compiler generates in this configuration: structs
// in Release (boxed on the first suspension), classes in Debug. The test run
// in both configurations covers both shapes of every async test here.
using System.Reflection;
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Async;
using Xunit;

namespace Kevlar.Runtime.Tests.Async;

public class KernelTaskMethodBuilderTests
{
    private static async KernelTask<int> Sample(KernelEvent<int> e) => await e;

    [Fact]
    public void StateMachine_ThisConfiguration_StructInReleaseClassInDebug()
    {
        MethodInfo m = typeof(KernelTaskMethodBuilderTests).GetMethod(nameof(Sample), BindingFlags.NonPublic | BindingFlags.Static)!;
        Type sm = m.GetCustomAttribute<AsyncStateMachineAttribute>()!.StateMachineType;
#if DEBUG
        Assert.False(sm.IsValueType);
#else
        Assert.True(sm.IsValueType);
#endif
    }

    [Fact]
    public void Task_SuspendedThenResumedTwice_KeepsOneTask()
    {
        var e = new KernelEvent<int>();
        KernelTask<int> t = TwoWaits(e);
        Assert.False(t.IsCompleted);
        e.Set(1);
        Assert.False(t.IsCompleted);
        e.Set(2);
        Assert.True(t.IsCompleted);
        Assert.Equal(3, t.Result);
    }

    private static async KernelTask<int> TwoWaits(KernelEvent<int> e)
    {
        int a = await e;
        e.Reset();
        int b = await e;
        return a + b;
    }
}

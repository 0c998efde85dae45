// Atomic: the only way runtime code touches a field that another CPU reads or
// writes at the same time ([Shared] fields). Each operation is one atomic
// access with the ordering noted, and each is a scheduling point: it calls
// InterleaveHook.Point() first, so a systematic tester can run another CPU
// between any two shared accesses, and no race window can lack a point.
// tests/Kevlar.Runtime.Tests/Threading/SharedAccessScanTests checks that
// every [Shared] field is reached only through these methods.
//
// Ordering on x86-64 (and in .NET's memory model): Load is an acquire,
// Store a release, Exchange/CompareExchange/FetchAdd and Fence full fences.
// A Store may still pass this CPU's later loads (store buffering): the Coyote
// host models that through InterleaveHook.Memory (MemoryModel.cs), so a
// missing fence shows there too.
using System.Threading;

namespace Kevlar.Runtime.Threading;

public static class Atomic
{
    /// <summary>Acquire load.</summary>
    public static int Load(ref int location)
    {
        InterleaveHook.Point();
        MemoryModel? m = InterleaveHook.Memory;
        return m != null ? m.Load(ref location) : Volatile.Read(ref location);
    }

    /// <summary>Acquire load.</summary>
    public static long Load(ref long location)
    {
        InterleaveHook.Point();
        MemoryModel? m = InterleaveHook.Memory;
        return m != null ? m.Load(ref location) : Volatile.Read(ref location);
    }

    /// <summary>Acquire load.</summary>
    public static bool Load(ref bool location)
    {
        InterleaveHook.Point();
        MemoryModel? m = InterleaveHook.Memory;
        return m != null ? m.Load(ref location) : Volatile.Read(ref location);
    }

    /// <summary>Acquire load.</summary>
    public static T Load<T>(ref T location) where T : class?
    {
        InterleaveHook.Point();
        return Volatile.Read(ref location);
    }

    /// <summary>A load with no scheduling point, for diagnostics only (naming a
    /// state for ProtocolCoverage, a Kassert): no decision of the code may depend on it.</summary>
    public static int Peek(ref int location) => Volatile.Read(ref location);

    /// <summary>A load with no scheduling point, for diagnostics only (naming a
    /// state for ProtocolCoverage): no decision of the code may depend on it.</summary>
    public static T Peek<T>(ref T location) where T : class? => Volatile.Read(ref location);

    /// <summary>Release store.</summary>
    public static void Store(ref int location, int value)
    {
        InterleaveHook.Point();
        MemoryModel? m = InterleaveHook.Memory;
        if (m != null)
        {
            m.Store(ref location, value);
            return;
        }
        Volatile.Write(ref location, value);
    }

    /// <summary>Release store.</summary>
    public static void Store(ref long location, long value)
    {
        InterleaveHook.Point();
        MemoryModel? m = InterleaveHook.Memory;
        if (m != null)
        {
            m.Store(ref location, value);
            return;
        }
        Volatile.Write(ref location, value);
    }

    /// <summary>Release store.</summary>
    public static void Store(ref bool location, bool value)
    {
        InterleaveHook.Point();
        MemoryModel? m = InterleaveHook.Memory;
        if (m != null)
        {
            m.Store(ref location, value);
            return;
        }
        Volatile.Write(ref location, value);
    }

    /// <summary>Release store.</summary>
    public static void Store<T>(ref T location, T value) where T : class?
    {
        InterleaveHook.Point();
        InterleaveHook.Memory?.Fence(); // kept in program order: nothing buffered before it may pass it
        Volatile.Write(ref location, value);
    }

    /// <summary>Stores <paramref name="value"/> and returns the old value; a full fence.</summary>
    public static int Exchange(ref int location, int value)
    {
        InterleaveHook.Point();
        InterleaveHook.Memory?.Locked(ref location);
        return Interlocked.Exchange(ref location, value);
    }

    /// <summary>Stores <paramref name="value"/> and returns the old value; a full fence.</summary>
    public static T Exchange<T>(ref T location, T value) where T : class?
    {
        InterleaveHook.Point();
        InterleaveHook.Memory?.Fence();
        return Interlocked.Exchange(ref location, value);
    }

    /// <summary>Stores <paramref name="value"/> if the field holds <paramref name="comparand"/>;
    /// returns the old value; a full fence.</summary>
    public static int CompareExchange(ref int location, int value, int comparand)
    {
        InterleaveHook.Point();
        InterleaveHook.Memory?.Locked(ref location);
        return Interlocked.CompareExchange(ref location, value, comparand);
    }

    /// <summary>Stores <paramref name="value"/> if the field holds <paramref name="comparand"/>;
    /// returns the old value; a full fence.</summary>
    public static T CompareExchange<T>(ref T location, T value, T comparand) where T : class?
    {
        InterleaveHook.Point();
        InterleaveHook.Memory?.Fence();
        return Interlocked.CompareExchange(ref location, value, comparand);
    }

    /// <summary>Adds <paramref name="delta"/> and returns the old value; a full fence.</summary>
    public static int FetchAdd(ref int location, int delta)
    {
        InterleaveHook.Point();
        InterleaveHook.Memory?.Locked(ref location);
        return Interlocked.Add(ref location, delta) - delta;
    }

    /// <summary>Adds <paramref name="delta"/> and returns the old value; a full fence.</summary>
    public static long FetchAdd(ref long location, long delta)
    {
        InterleaveHook.Point();
        InterleaveHook.Memory?.Locked(ref location);
        return Interlocked.Add(ref location, delta) - delta;
    }

    /// <summary>A full fence: no load or store moves across it.</summary>
    public static void Fence()
    {
        InterleaveHook.Point();
        InterleaveHook.Memory?.Fence();
        Interlocked.MemoryBarrier();
    }
}

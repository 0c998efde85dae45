// Kernel corlib: System.Runtime.CompilerServices.RuntimeHelpers.
namespace System.Runtime.CompilerServices;

public static unsafe class RuntimeHelpers
{
    /// <summary>Copies an array initializer's data (the C# compiler emits this for `new byte[] { ... }`);
    /// the JIT expands this intrinsic in place.</summary>
    [Intrinsic]
    public static void InitializeArray(Array array, RuntimeFieldHandle fldHandle)
    {
        // Safety: ilc expands this intrinsic itself for constant data; reaching here is a compiler contract break.
        Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowFeatureBodyRemoved();
    }

    public static int OffsetToStringData => 12;

    [Intrinsic]
    public static bool IsReferenceOrContainsReferences<T>() => false;

    [Intrinsic]
    public static ReadOnlySpan<T> CreateSpan<T>(RuntimeFieldHandle fldHandle) => default;

    /// <summary>The identity hash of o (0 for null), stable for o's lifetime: the collector
    /// never moves objects, so it is the address, mixed so that nearby objects spread out.</summary>
    public static int GetHashCode(object? o)
    {
        if (o is null) return 0;
        // Safety: reads the reference itself as a number; nothing is dereferenced.
        ulong address = (ulong)Unsafe.As<object, nint>(ref o);
        ulong mixed = (address >> 3) * 0x9E3779B97F4A7C15;
        return (int)(mixed >> 32);
    }
}

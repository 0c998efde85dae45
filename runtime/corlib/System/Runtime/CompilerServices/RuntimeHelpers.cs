// Kernel corlib: System.Runtime.CompilerServices.RuntimeHelpers.
namespace System.Runtime.CompilerServices;

public static unsafe class RuntimeHelpers
{
    /// <summary>Copies an array initializer's data (the C# compiler emits this for `new byte[] { ... }`).</summary>
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
}

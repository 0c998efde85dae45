// Kernel corlib: System.Array. Layout (compiler contract): MethodTable pointer,
// then the element count as an int (padded to 8 bytes), then the elements.
namespace System;

public abstract unsafe partial class Array
{
#pragma warning disable 169, 649
    // Compiler contract: the element count follows the MethodTable pointer.
    private int _numComponents;
#pragma warning restore 169, 649

    public int Length => _numComponents;

    public static T[] Empty<T>() => EmptyArray<T>.Value;

    /// <summary>Copies <paramref name="length"/> elements between single-dimensional arrays of one element type.</summary>
    public static void Copy(Array sourceArray, int sourceIndex, Array destinationArray, int destinationIndex, int length)
    {
        System.Runtime.CompilerServices.ArrayCopier.Copy(sourceArray, sourceIndex, destinationArray, destinationIndex, length);
    }

    /// <summary>Sets every element of a single-dimensional array to its default value.</summary>
    public static void Clear(Array array)
    {
        if (array is null) ThrowHelper.ThrowArgumentNull(nameof(array));
        System.Runtime.CompilerServices.ArrayCopier.Clear(array, 0, array.Length);
    }

    /// <summary>Sets <paramref name="length"/> elements from <paramref name="index"/> to their default value.</summary>
    public static void Clear(Array array, int index, int length)
    {
        if (array is null) ThrowHelper.ThrowArgumentNull(nameof(array));
        System.Runtime.CompilerServices.ArrayCopier.Clear(array, index, length);
    }
}

internal static class EmptyArray<T>
{
    internal static readonly T[] Value = new T[0];
}

// Compiler contract: the generic base the compiler gives single-dimensional arrays.
public class Array<T> : Array { }

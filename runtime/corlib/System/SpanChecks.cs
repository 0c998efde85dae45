// Kernel corlib: the bounds checks Span<T> and ReadOnlySpan<T> share. A failed
// check is a kernel panic (there is no exception to throw).
using Internal.Runtime.CompilerHelpers;

namespace System;

internal static class SpanChecks
{
    /// <summary>[start, start+length) must lie within [0, total); widened so no sum overflows.</summary>
    public static void Range(int start, int length, int total)
    {
        if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)total)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
    }

    /// <summary>start may be anything from 0 to total (a slice to the end may be empty).</summary>
    public static void Start(int start, int total)
    {
        if ((uint)start > (uint)total)
            ThrowHelpers.ThrowArgumentOutOfRangeException();
    }

    public static void Index(int index, int length)
    {
        if ((uint)index >= (uint)length)
            ThrowHelpers.ThrowIndexOutOfRangeException();
    }
}

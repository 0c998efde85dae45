// Kernel corlib: System.Buffer, raw memory moves. BulkMoveWithWriteBarrier is
// the compiler's helper for copying structs that hold references (compiler contract).
using System.Runtime.CompilerServices;

namespace System;

public static unsafe class Buffer
{
    /// <summary>Copies len bytes; correct for overlapping ranges in either direction (see SpanHelpers.Memmove).</summary>
    internal static void Memmove(byte* dest, byte* src, nuint len) => SpanHelpers.Memmove(ref *dest, ref *src, len);

    // The collector is not generational, so a bulk copy of references needs no card marking;
    // during a concurrent mark the copied references are greyed (GcHeap.ShadeRange), as the
    // barrier helpers grey a single stored one. References are 8-byte aligned and Memmove moves
    // aligned words whole, so no CPU ever sees half a reference.
    // Safety: ShadeRange reads only the range the copy above just wrote.
    internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
    {
        SpanHelpers.Memmove(ref destination, ref source, byteCount);
        Kevlar.Runtime.Metal.Memory.GcHeap.ShadeRange((byte*)Unsafe.AsPointer(ref destination), byteCount);
    }
}

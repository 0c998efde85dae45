// Kernel corlib: System.Buffer, raw memory moves. BulkMoveWithWriteBarrier is
// the compiler's helper for copying structs that hold references (compiler contract).
using System.Runtime.CompilerServices;

namespace System;

public static unsafe class Buffer
{
    internal static void Memmove(byte* dest, byte* src, nuint len)
    {
        if (dest <= src || dest >= src + len)
            for (nuint i = 0; i < len; i++) dest[i] = src[i];
        else
            for (nuint i = len; i > 0; i--) dest[i - 1] = src[i - 1];
    }

    // The collector is stop-the-world and non-generational, so a bulk copy of
    // references needs no card marking: the copy itself is the whole barrier.
    internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
        => Memmove((byte*)Unsafe.AsPointer(ref destination), (byte*)Unsafe.AsPointer(ref source), byteCount);
}

// Kernel corlib: block copy, fill and compare (compiler contract: the JIT calls
// Memmove, Fill and ClearWithoutReferences for cpblk/initblk). They move eight
// bytes at a time (unaligned access is fine on x86_64) and finish with bytes.
//
// Why Memmove is correct for overlapping ranges: when dest is below src (or
// the ranges are disjoint) it copies upwards, and each 32- or 8-byte step
// reads its whole source block before writing a destination block that ends
// no higher than that source block, so nothing it has yet to read is
// overwritten; when dest is above src and inside the source range it copies
// downwards, the mirror image. The direction test `(nuint)(dest - src) >= len`
// is true exactly when dest < src (the difference wraps to a huge value) or
// dest starts at or past the end of the source.
using System.Runtime.CompilerServices;

namespace System;

internal static unsafe class SpanHelpers
{
    internal static void Memmove(ref byte destination, ref byte source, nuint len)
    {
        // Safety: callers pass references to len valid bytes each (arrays, strings, pinned or stack
        // memory); the collector does not move objects, so the pointers stay valid throughout.
        byte* d = (byte*)Unsafe.AsPointer(ref destination);
        byte* s = (byte*)Unsafe.AsPointer(ref source);
        if (d == s || len == 0) return;
        if ((nuint)(d - s) >= len) CopyUp(d, s, len);
        else CopyDown(d, s, len);
    }

    private static void CopyUp(byte* d, byte* s, nuint len)
    {
        for (; len >= 32; len -= 32, d += 32, s += 32)
        {
            ulong a = *(ulong*)s, b = *(ulong*)(s + 8), c = *(ulong*)(s + 16), e = *(ulong*)(s + 24);
            *(ulong*)d = a; *(ulong*)(d + 8) = b; *(ulong*)(d + 16) = c; *(ulong*)(d + 24) = e;
        }
        for (; len >= 8; len -= 8, d += 8, s += 8) *(ulong*)d = *(ulong*)s;
        for (; len > 0; len--) *d++ = *s++;
    }

    private static void CopyDown(byte* d, byte* s, nuint len)
    {
        d += len;
        s += len;
        for (; len >= 32; len -= 32)
        {
            d -= 32; s -= 32;
            ulong a = *(ulong*)s, b = *(ulong*)(s + 8), c = *(ulong*)(s + 16), e = *(ulong*)(s + 24);
            *(ulong*)(d + 24) = e; *(ulong*)(d + 16) = c; *(ulong*)(d + 8) = b; *(ulong*)d = a;
        }
        for (; len >= 8; len -= 8)
        {
            d -= 8; s -= 8;
            *(ulong*)d = *(ulong*)s;
        }
        for (; len > 0; len--) *--d = *--s;
    }

    internal static void Fill(ref byte destination, byte value, nuint len)
    {
        // Safety: the caller passes a reference to len writable bytes.
        byte* d = (byte*)Unsafe.AsPointer(ref destination);
        ulong pattern = value * 0x0101010101010101UL;
        for (; len >= 32; len -= 32, d += 32)
        {
            *(ulong*)d = pattern; *(ulong*)(d + 8) = pattern; *(ulong*)(d + 16) = pattern; *(ulong*)(d + 24) = pattern;
        }
        for (; len >= 8; len -= 8, d += 8) *(ulong*)d = pattern;
        for (; len > 0; len--) *d++ = value;
    }

    internal static void ClearWithoutReferences(ref byte b, nuint byteLength) => Fill(ref b, 0, byteLength);

    /// <summary>Whether the len bytes at x and y are equal.</summary>
    internal static bool SequenceEqual(ref byte x, ref byte y, nuint len)
    {
        // Safety: the caller passes references to len readable bytes each.
        byte* a = (byte*)Unsafe.AsPointer(ref x);
        byte* b = (byte*)Unsafe.AsPointer(ref y);
        if (a == b) return true;
        for (; len >= 8; len -= 8, a += 8, b += 8)
            if (*(ulong*)a != *(ulong*)b) return false;
        for (; len > 0; len--)
            if (*a++ != *b++) return false;
        return true;
    }
}

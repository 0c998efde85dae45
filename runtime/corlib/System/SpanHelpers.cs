// Kernel corlib: block copy/fill helpers the JIT calls for cpblk/initblk (compiler contract).
using System.Runtime.CompilerServices;

namespace System;

internal static unsafe class SpanHelpers
{
    internal static void Memmove(ref byte destination, ref byte source, nuint len)
        => Buffer.Memmove((byte*)Unsafe.AsPointer(ref destination), (byte*)Unsafe.AsPointer(ref source), len);

    internal static void Fill(ref byte destination, byte value, nuint len)
    {
        byte* d = (byte*)Unsafe.AsPointer(ref destination);
        for (nuint i = 0; i < len; i++) d[i] = value;
    }

    internal static void ClearWithoutReferences(ref byte b, nuint byteLength) => Fill(ref b, 0, byteLength);
}

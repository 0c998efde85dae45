// Kernel corlib: element copy between single-dimensional arrays for Array.Copy,
// and Array.Clear. Reference elements go through the write barrier so the
// collector sees them; clearing needs none (storing null keeps nothing alive).
using Internal.Runtime;

namespace System.Runtime.CompilerServices;

internal static unsafe class ArrayCopier
{
    public static void Copy(Array src, int srcIndex, Array dst, int dstIndex, int length)
    {
        MethodTable* srcMt = MethodTable.Of(src);
        if (srcMt != MethodTable.Of(dst) || srcIndex < 0 || dstIndex < 0 || length < 0
            || (uint)srcIndex + (uint)length > (uint)src.Length || (uint)dstIndex + (uint)length > (uint)dst.Length)
        {
            Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            return;
        }
        nuint elementSize = srcMt->ComponentSize;
        byte* s = (byte*)Unsafe.AsPointer(ref Unsafe.As<RawArrayData>(src).Data) + (nuint)srcIndex * elementSize;
        byte* d = (byte*)Unsafe.AsPointer(ref Unsafe.As<RawArrayData>(dst).Data) + (nuint)dstIndex * elementSize;
        nuint bytes = (nuint)length * elementSize;
        if (srcMt->ContainsGCPointers)
            Buffer.BulkMoveWithWriteBarrier(ref *d, ref *s, bytes);
        else
            Buffer.Memmove(d, s, bytes);
    }

    public static void Clear(Array array, int index, int length)
    {
        MethodTable* mt = MethodTable.Of(array);
        if (mt->ElementType != MethodTable.ElementTypeArray || index < 0 || length < 0 || (uint)index + (uint)length > (uint)array.Length)
        {
            Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            return;
        }
        nuint elementSize = mt->ComponentSize;
        // Safety: the range was checked against the array's length; whole aligned words are
        // written, so a reference slot is never seen half cleared.
        byte* start = (byte*)Unsafe.AsPointer(ref Unsafe.As<RawArrayData>(array).Data) + (nuint)index * elementSize;
        SpanHelpers.ClearWithoutReferences(ref *start, (nuint)length * elementSize);
    }
}

// The allocation helpers compiled code calls for `new` (compiler contract):
// the collected heap once it exists, the early arena before.
using System.Runtime;
using Internal.Runtime;

namespace Kevlar.Runtime.Metal.Memory;

internal static unsafe class AllocationExports
{
    private static object New(MethodTable* mt, ulong size)
    {
        byte* obj = GcHeap.IsInitialized ? GcHeap.Allocate(mt, size) : EarlyArena.Allocate(mt, size);
        return *(object*)&obj;
    }

    private static object NewArray(MethodTable* mt, int length)
    {
        if (length < 0) Exports.FailFastExports.Fail("negative array length");
        object o = New(mt, mt->BaseSize + (ulong)(uint)length * mt->ComponentSize);
        byte* obj = *(byte**)&o;
        *(int*)(obj + 8) = length;
        return o;
    }

    [RuntimeExport("RhpNewFast")] private static object RhpNewFast(MethodTable* mt) => New(mt, mt->BaseSize);
    [RuntimeExport("RhpNewFinalizable")] private static object RhpNewFinalizable(MethodTable* mt) => New(mt, mt->BaseSize);
    [RuntimeExport("RhpNewArray")] private static object RhpNewArray(MethodTable* mt, int length) => NewArray(mt, length);
    [RuntimeExport("RhpNewArrayFast")] private static object RhpNewArrayFast(MethodTable* mt, int length) => NewArray(mt, length);
    [RuntimeExport("RhpNewPtrArrayFast")] private static object RhpNewPtrArrayFast(MethodTable* mt, int length) => NewArray(mt, length);
}

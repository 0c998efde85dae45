// The allocation helpers compiled code calls for `new` (compiler contract).
using System.Runtime;
using Internal.Runtime;

namespace Kevlar.Runtime.Metal.Memory;

internal static unsafe class AllocationExports
{
    private static byte* s_bump;

    private static object Bump(MethodTable* mt, nuint size)
    {
        if (s_bump == null) s_bump = (byte*)0x2000000;
        size = (size + 7) & ~(nuint)7;
        byte* p = s_bump;
        s_bump += size;
        for (nuint i = 0; i < size; i++) p[i] = 0;
        *(MethodTable**)(p + 8) = mt;
        return *(object*)&p;
    }
    [RuntimeExport("RhpNewFast")] private static object RhpNewFast(MethodTable* mt) => Bump(mt, mt->BaseSize);
    [RuntimeExport("RhpNewFinalizable")] private static object RhpNewFinalizable(MethodTable* mt) => Bump(mt, mt->BaseSize);
    [RuntimeExport("RhpNewArray")] private static object RhpNewArray(MethodTable* mt, int n) { object o = Bump(mt, mt->BaseSize + (nuint)n * mt->ComponentSize); return o; }
    [RuntimeExport("RhpNewArrayFast")] private static object RhpNewArrayFast(MethodTable* mt, int n) => RhpNewArray(mt, n);
    [RuntimeExport("RhpNewPtrArrayFast")] private static object RhpNewPtrArrayFast(MethodTable* mt, int n) => RhpNewArray(mt, n);
}

// Static reference fields: ilc groups each type's GC statics into an object
// whose address sits in a slot listed by the ReadyToRun header's
// GCStaticRegion (section 201). At boot every slot still holds a relative
// pointer to the MethodTable, low bit 1 = allocate, bit 2 = copy preinitialised
// data (relative pointer in the slot's second half). Allocating those objects
// is the runtime's job; afterwards every slot is a collector root.
using Internal.Runtime;
using Kevlar.Runtime.Metal.Exports;

namespace Kevlar.Runtime.Metal.Memory;

public static unsafe class GcStatics
{
    private const uint Signature = 0x00525452; // "RTR"
    private const uint GcStaticRegion = 201;

    private static int* s_regionStart, s_regionEnd;

    public static int SlotCount => (int)(s_regionEnd - s_regionStart);

    public static nint* Slot(int i) => (nint*)ReadRelative(s_regionStart + i);

    /// <summary>Finds the region and allocates every static base object (early arena: they live forever).</summary>
    public static void Initialize(byte* header)
    {
        if (*(uint*)header != Signature) FailFastExports.Fail("ReadyToRun header signature mismatch");
        ushort sections = *(ushort*)(header + 12);
        byte entrySize = header[14];
        for (int i = 0; i < sections; i++)
        {
            byte* entry = header + 16 + i * entrySize;
            if (*(uint*)entry != GcStaticRegion) continue;
            s_regionStart = *(int**)(entry + 8);
            s_regionEnd = *(int**)(entry + 16);
        }
        for (int i = 0; i < SlotCount; i++) InitializeSlot((int*)Slot(i));
    }

    private static void InitializeSlot(int* slot)
    {
        nint target = (nint)ReadRelative(slot);
        if ((target & 1) == 0) return;
        MethodTable* mt = (MethodTable*)(target & ~(nint)3);
        byte* obj = EarlyArena.Allocate(mt, mt->BaseSize);
        if ((target & 2) != 0)
        {
            byte* data = (byte*)ReadRelative(slot + 1);
            ulong bytes = mt->BaseSize - 16;
            for (ulong b = 0; b < bytes; b++) obj[8 + b] = data[b];
        }
        *(byte**)slot = obj;
    }

    private static byte* ReadRelative(int* p) => (byte*)p + *p;
}

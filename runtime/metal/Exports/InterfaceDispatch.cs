// Interface calls: compiled code calls through a dispatch cell whose stub is
// RhpInitialDynamicInterfaceDispatch (StubGen), which asks here for the target.
// A cell (ilc 10.0.12, 16 bytes) holds the stub, then a relative pointer to
// the interface's MethodTable tagged with low bits 3. Cells come in runs
// sorted by slot; each run ends with a null stub followed by the run's slot.
// The answer comes from the dispatch maps of the object's type and its parents:
// entries {interface index, interface slot, implementation slot}; an
// implementation slot past the vtable indexes the sealed virtual slots.
// Answers are cached per CPU (no sharing, so no torn entries): the stub hashes
// the cell, compares cell and MethodTable, and jumps straight to the target on
// a hit; only misses come here.
using System.Runtime;
using Internal.Runtime;

namespace Kevlar.Runtime.Metal.Exports;

public static unsafe class InterfaceDispatch
{
    /// <summary>Cache geometry shared with the stub (StubGen/RuntimeStubs.cs): 256 entries of {cell, type, target}.</summary>
    public const int CacheEntries = 256, CacheEntryBytes = 24;

    /// <summary>Bytes of one CPU's cache: the platform provides them zeroed, in raw memory.</summary>
    public const ulong CacheBytes = CacheEntries * CacheEntryBytes;

    private const uint HasDispatchMapFlag = 0x00040000;
    private const uint HasFinalizerFlag = 0x00100000;
    private const uint HasSealedVirtualsFlag = 0x00400000;

    [RuntimeExport("KevlarResolveInterface")]
    private static nint Resolve(object self, nint cell)
    {
        int* cachePointer = (int*)(cell + 8);
        MethodTable* iface = (MethodTable*)((byte*)cachePointer + (*cachePointer & ~3));
        ushort slot = SlotOf(cell);
        MethodTable* type = MethodTable.Of(self);
        for (MethodTable* t = type; t != null; t = t->IsArray ? null : t->RelatedType)
        {
            nint code = FindInType(type, t, iface, slot);
            if (code != 0)
            {
                Remember(cell, type, code);
                return code;
            }
        }
        FailFastExports.Fail("interface dispatch: no implementation");
        return 0;
    }

    // Same hash as the stub: (cell >> 4) & 255. Only this CPU reads or writes its cache.
    private static void Remember(nint cell, MethodTable* type, nint code)
    {
        nint* cache = (nint*)Native.DispatchCache();
        if (cache == null) return;
        nint* entry = cache + (((ulong)cell >> 4) & (CacheEntries - 1)) * 3;
        entry[0] = 0;
        entry[1] = (nint)type;
        entry[2] = code;
        entry[0] = cell;
    }

    /// <summary>The interface slot: found after the null stub that ends the cell's run.</summary>
    private static ushort SlotOf(nint cell)
    {
        nint at = cell;
        while (*(nint*)at != 0) at += 16;
        return (ushort)*(nint*)(at + 8);
    }

    // The dispatch map of t (the object's type or a parent) names the slot; a virtual slot is
    // read from the object's own type's vtable, so a derived override wins.
    private static nint FindInType(MethodTable* type, MethodTable* t, MethodTable* iface, ushort slot)
    {
        if ((t->Flags & HasDispatchMapFlag) == 0) return 0;
        MethodTable** map = t->InterfaceMap;
        int index = -1;
        for (int i = 0; i < t->NumInterfaces; i++)
            if (map[i] == iface) { index = i; break; }
        if (index < 0) return 0;
        int* optional = (int*)(map + t->NumInterfaces);
        ushort* dispatchMap = (ushort*)ReadRelative(optional + 2);
        int entries = dispatchMap[0];
        ushort* entry = dispatchMap + 4;
        for (int e = 0; e < entries; e++, entry += 3)
        {
            if (entry[0] != index || entry[1] != slot) continue;
            ushort impl = entry[2];
            if (impl < t->NumVtableSlots) return ((nint*)((byte*)type + 24))[impl];
            int sealedAt = 3 + ((t->Flags & HasFinalizerFlag) != 0 ? 1 : 0);
            int* sealedSlots = (int*)ReadRelative(optional + sealedAt);
            return (nint)ReadRelative(sealedSlots + (impl - t->NumVtableSlots));
        }
        return 0;
    }

    private static byte* ReadRelative(int* p) => (byte*)p + *p;
}

// Kernel corlib: the boxing helpers compiled code calls (compiler contract: ilc
// looks these up by name; every `box` of a value type depends on RhBox even
// where the JIT allocates inline). Boxing or unboxing a Nullable<T> is not
// supported: it must produce null or a boxed T, which needs the generic
// argument from the MethodTable's optional fields; it is a kernel panic.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Runtime;

// Safety: copies a value type's bytes into a box of exactly its MethodTable's size (compiler contract).
internal static unsafe class RuntimeExports
{
    /// <summary>A new boxed copy of the value of type pEEType at data.</summary>
    public static object? RhBox(MethodTable* pEEType, ref byte data)
    {
        if (pEEType->ElementType == MethodTable.ElementTypeNullable) ThrowHelper.ThrowNotSupported("boxing a Nullable<T>");
        object box = RuntimeImports.RhpNewFast(pEEType);
        // Safety: the box is a fresh object of pEEType, whose data is ValueTypeSize bytes; a value with
        // references is moved in whole aligned words, which is all the collector needs (see Buffer).
        Buffer.BulkMoveWithWriteBarrier(ref Unsafe.As<RawData>(box).Data, ref data, pEEType->ValueTypeSize);
        return box;
    }

    /// <summary>The data of a box, after checking it holds a pUnboxToEEType (or an enum or primitive of the same underlying type).</summary>
    public static ref byte RhUnbox2(MethodTable* pUnboxToEEType, object obj)
    {
        if (obj is null) Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowNullReferenceException();
        RhUnboxTypeTest(pUnboxToEEType, MethodTable.Of(obj!));
        return ref Unsafe.As<RawData>(obj).Data;
    }

    public static void RhUnboxNullable(ref byte data, MethodTable* pUnboxToEEType, object obj)
        => ThrowHelper.ThrowNotSupported("unboxing to a Nullable<T>");

    /// <summary>Fails unless a box of pBoxType may be unboxed as pType.</summary>
    public static void RhUnboxTypeTest(MethodTable* pType, MethodTable* pBoxType)
    {
        if (pType == pBoxType) return;
        // An enum and its underlying primitive (or two enums over it) share an element type and a size.
        bool primitiveLike = pType->ElementType < 0x10 && pBoxType->ElementType == pType->ElementType;
        if (!primitiveLike) Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidCastException();
    }
}

// Kernel corlib: the casting helpers compiled code calls for `is`, `as`,
// casts and array stores (compiler contract). Class casts walk the parent
// chain (an array's parents are System.Array and object: its RelatedType is
// the element type, not a parent), interface casts scan the interface map
// (which lists inherited interfaces too), arrays of references are
// covariant. No generic variance.
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;
using System.Runtime.CompilerServices;

namespace System.Runtime;

internal static unsafe class TypeCast
{
    // object's and System.Array's MethodTables, found once from instances (benign race: same values).
    private static MethodTable* s_objectType, s_arrayType;

    private static bool IsObjectOrArrayType(MethodTable* target)
    {
        if (s_arrayType == null)
        {
            s_objectType = MethodTable.Of(new object());
            s_arrayType = MethodTable.Of(new Array<byte>())->RelatedType;
        }
        return target == s_objectType || target == s_arrayType;
    }

    private static bool IsClassOrParent(MethodTable* mt, MethodTable* target)
    {
        if (mt->IsArray) return mt == target || IsObjectOrArrayType(target);
        for (; mt != null; mt = mt->RelatedType)
            if (mt == target) return true;
        return false;
    }

    private static bool Implements(MethodTable* mt, MethodTable* target)
    {
        MethodTable** map = mt->InterfaceMap;
        for (int i = 0; i < mt->NumInterfaces; i++)
            if (map[i] == target) return true;
        return false;
    }

    private static bool IsAssignable(MethodTable* mt, MethodTable* target)
    {
        if (mt == target) return true;
        if (mt->IsArray)
            return IsObjectOrArrayType(target) || Implements(mt, target) || ArrayElementsAssignable(mt, target);
        return IsClassOrParent(mt, target) || Implements(mt, target);
    }

    private static bool ArrayElementsAssignable(MethodTable* mt, MethodTable* target)
    {
        // Same kind (single-dimensional or not) and, for multi-dimensional arrays, the same rank (BaseSize grows with it).
        if (!target->IsArray || mt->ElementType != target->ElementType || mt->BaseSize != target->BaseSize) return false;
        MethodTable* from = mt->RelatedType, to = target->RelatedType;
        // Reference-element covariance (string[] as object[]); value-type elements must match exactly.
        return from == to || (!IsValueType(from) && !IsValueType(to) && IsAssignable(from, to));
    }

    private static bool IsValueType(MethodTable* mt) => mt->ElementType < 0x14 && !mt->IsArray;

    public static object? IsInstanceOfClass(MethodTable* pTargetType, object? obj)
        => obj == null || IsClassOrParent(MethodTable.Of(obj), pTargetType) ? obj : null;

    public static object CheckCastClass(MethodTable* pTargetType, object obj)
    {
        if (obj != null && !IsClassOrParent(MethodTable.Of(obj), pTargetType)) ThrowHelpers.ThrowInvalidCastException();
        return obj!;
    }

    public static object CheckCastClassSpecial(MethodTable* pTargetType, object obj) => CheckCastClass(pTargetType, obj);

    public static object? IsInstanceOfInterface(MethodTable* pTargetType, object? obj)
        => obj == null || Implements(MethodTable.Of(obj), pTargetType) ? obj : null;

    public static object CheckCastInterface(MethodTable* pTargetType, object obj)
    {
        if (obj != null && !Implements(MethodTable.Of(obj), pTargetType)) ThrowHelpers.ThrowInvalidCastException();
        return obj!;
    }

    public static object? IsInstanceOfAny(MethodTable* pTargetType, object? obj)
        => obj == null || IsAssignable(MethodTable.Of(obj), pTargetType) ? obj : null;

    public static object CheckCastAny(MethodTable* pTargetType, object obj)
    {
        if (obj != null && !IsAssignable(MethodTable.Of(obj), pTargetType)) ThrowHelpers.ThrowInvalidCastException();
        return obj!;
    }

    public static bool IsInstanceOfException(MethodTable* pTargetType, object? obj)
        => obj != null && IsClassOrParent(MethodTable.Of(obj), pTargetType);

    public static void StelemRef(object?[] array, nint index, object? obj)
    {
        if ((nuint)index >= (nuint)array.Length) ThrowHelpers.ThrowIndexOutOfRangeException();
        if (obj != null)
        {
            MethodTable* element = MethodTable.Of(array)->RelatedType;
            if (!IsAssignable(MethodTable.Of(obj), element)) ThrowHelpers.ThrowArrayTypeMismatchException();
        }
        ref object? slot = ref Unsafe.Add(ref Unsafe.As<byte, object?>(ref Unsafe.As<RawArrayData>(array).Data), index);
        slot = obj;
    }

    public static ref object? LdelemaRef(object?[] array, nint index, MethodTable* elementType)
    {
        if ((nuint)index >= (nuint)array.Length) ThrowHelpers.ThrowIndexOutOfRangeException();
        if (MethodTable.Of(array)->RelatedType != elementType) ThrowHelpers.ThrowArrayTypeMismatchException();
        return ref Unsafe.Add(ref Unsafe.As<byte, object?>(ref Unsafe.As<RawArrayData>(array).Data), index);
    }
}

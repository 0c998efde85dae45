// Kernel corlib: the default comparer for an enum (compiler contract: ilc
// creates it by name, see Comparer.cs): the underlying type's CompareTo, in place.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Collections.Generic;

// Safety: reads the enum's underlying integer in place; its width comes from T's MethodTable.
public sealed unsafe class EnumComparer<T> : Comparer<T> where T : struct, Enum
{
    public override int Compare(T x, T y)
        => Enum.CompareRaw(MethodTable.Of<T>()->ElementType, ref Unsafe.As<T, byte>(ref x), ref Unsafe.As<T, byte>(ref y));
}

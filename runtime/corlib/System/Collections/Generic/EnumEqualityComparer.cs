// Kernel corlib: the default equality comparer for an enum (compiler contract:
// ilc creates it by name, see EqualityComparer.cs). Compares and hashes the
// underlying value in place, without boxing; hashes as the underlying type does.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Collections.Generic;

// Safety: compares the enum's underlying integer in place, at the width Unsafe.SizeOf<T> gives.
public sealed unsafe class EnumEqualityComparer<T> : EqualityComparer<T> where T : struct, Enum
{
    public override bool Equals(T x, T y) => Unsafe.SizeOf<T>() switch
    {
        1 => Unsafe.As<T, byte>(ref x) == Unsafe.As<T, byte>(ref y),
        2 => Unsafe.As<T, ushort>(ref x) == Unsafe.As<T, ushort>(ref y),
        4 => Unsafe.As<T, uint>(ref x) == Unsafe.As<T, uint>(ref y),
        _ => Unsafe.As<T, ulong>(ref x) == Unsafe.As<T, ulong>(ref y),
    };

    public override int GetHashCode([DisallowNull] T obj)
        => Enum.HashOf(MethodTable.Of<T>()->ElementType, ref Unsafe.As<T, byte>(ref obj));
}

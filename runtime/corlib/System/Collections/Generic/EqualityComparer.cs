// Kernel corlib: System.Collections.Generic.EqualityComparer<T>. Default is
// chosen without reflection. ilc replaces the body of the [Intrinsic] Create
// for each exact T (compiler contract, by these type names):
// GenericEqualityComparer<T> when T implements IEquatable<T>,
// NullableEqualityComparer<U> for U?, EnumEqualityComparer<T> for enums,
// StringEqualityComparer for string, ObjectEqualityComparer<T> otherwise.
// It runs Default's initializer at build time for every T it sees, so the
// chosen comparer is frozen into the image. Only if that preinitialization
// fails does the initializer run in the kernel, and for a T compiled as shared
// canonical code (reference types, generic structs over them) that is the C#
// body below: ObjectEqualityComparer<T>, whose Equals(object) gives the same
// answers for every type whose IEquatable<T>.Equals agrees with its
// Equals(object), as .NET's guidelines require.
// Default's getter is deliberately not [Intrinsic]: that would let the JIT
// assume ilc's choice and call it directly even on that fallback object.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace System.Collections.Generic;

public abstract class EqualityComparer<T> : IEqualityComparer<T>
{
    public static EqualityComparer<T> Default { get; } = Create();

    [Intrinsic]
    private static EqualityComparer<T> Create() => new ObjectEqualityComparer<T>();

    public abstract bool Equals(T? x, T? y);

    public abstract int GetHashCode([DisallowNull] T obj);
}

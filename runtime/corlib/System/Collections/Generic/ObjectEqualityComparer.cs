// Kernel corlib: the default equality comparer through object.Equals(object)
// (compiler contract: ilc creates it by name, see EqualityComparer.cs). A value
// type gets here only if it does not implement IEquatable<T>; it is then boxed
// and compared by ValueType.Equals, as in .NET.
using System.Diagnostics.CodeAnalysis;

namespace System.Collections.Generic;

public sealed class ObjectEqualityComparer<T> : EqualityComparer<T>
{
    public override bool Equals(T? x, T? y)
    {
        if (x is not null) return y is not null && x.Equals(y);
        return y is null;
    }

    public override int GetHashCode([DisallowNull] T obj) => obj?.GetHashCode() ?? 0;
}

// Kernel corlib: the default equality comparer for a T that implements
// IEquatable<T> (compiler contract: ilc creates it by name, see EqualityComparer.cs).
// Calls are constrained, so a value type is never boxed.
using System.Diagnostics.CodeAnalysis;

namespace System.Collections.Generic;

public sealed class GenericEqualityComparer<T> : EqualityComparer<T> where T : IEquatable<T>?
{
    public override bool Equals(T? x, T? y)
    {
        if (x is not null) return y is not null && x.Equals(y);
        return y is null;
    }

    public override int GetHashCode([DisallowNull] T obj) => obj?.GetHashCode() ?? 0;
}

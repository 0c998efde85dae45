// Kernel corlib: the default equality comparer for T? (compiler contract: ilc
// creates it by name, see EqualityComparer.cs). Two nulls are equal; values
// compare with T's default comparer.
using System.Diagnostics.CodeAnalysis;

namespace System.Collections.Generic;

public sealed class NullableEqualityComparer<T> : EqualityComparer<T?> where T : struct
{
    public override bool Equals(T? x, T? y)
    {
        if (x.HasValue) return y.HasValue && EqualityComparer<T>.Default.Equals(x.GetValueOrDefault(), y.GetValueOrDefault());
        return !y.HasValue;
    }

    public override int GetHashCode([DisallowNull] T? obj) => obj.GetHashCode();
}

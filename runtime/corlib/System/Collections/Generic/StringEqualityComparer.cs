// Kernel corlib: the default equality comparer for string (compiler contract:
// ilc creates it by name when it evaluates EqualityComparer<string>.Default at
// build time, see EqualityComparer.cs). Ordinal, like string.Equals.
using System.Diagnostics.CodeAnalysis;

namespace System.Collections.Generic;

internal sealed class StringEqualityComparer : EqualityComparer<string>
{
    public override bool Equals(string? x, string? y) => string.Equals(x, y);

    public override int GetHashCode([DisallowNull] string obj) => obj?.GetHashCode() ?? 0;
}

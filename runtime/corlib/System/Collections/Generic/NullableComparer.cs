// Kernel corlib: the default comparer for T? (compiler contract: ilc creates it
// by name, see Comparer.cs). null sorts first; values compare with T's default comparer.
namespace System.Collections.Generic;

public sealed class NullableComparer<T> : Comparer<T?> where T : struct
{
    public override int Compare(T? x, T? y)
    {
        if (x.HasValue) return y.HasValue ? Comparer<T>.Default.Compare(x.GetValueOrDefault(), y.GetValueOrDefault()) : 1;
        return y.HasValue ? -1 : 0;
    }
}

// Kernel corlib: the default comparer for a T that implements IComparable<T>
// (compiler contract: ilc creates it by name, see Comparer.cs). null sorts first.
namespace System.Collections.Generic;

public sealed class GenericComparer<T> : Comparer<T> where T : IComparable<T>?
{
    public override int Compare(T? x, T? y)
    {
        if (x is not null) return y is not null ? x.CompareTo(y) : 1;
        return y is not null ? -1 : 0;
    }
}

// Kernel corlib: the default comparer for a T without IComparable<T> known at
// compile time (compiler contract: ilc creates it by name, see Comparer.cs).
// null sorts first; then IComparable<T>, then IComparable; a type with
// neither is a kernel bug, where .NET throws ArgumentException. Strings
// implement neither here: .NET orders them by culture, which the kernel lacks.
namespace System.Collections.Generic;

public sealed class ObjectComparer<T> : Comparer<T>
{
    public override int Compare(T? x, T? y)
    {
        if (x is null) return y is null ? 0 : -1;
        if (y is null) return 1;
        if (x is IComparable<T> typed) return typed.CompareTo(y);
        if (x is IComparable untyped) return untyped.CompareTo(y);
        ThrowHelper.ThrowArgument("at least one object must implement IComparable");
        return 0;
    }
}

// Kernel corlib: System.IComparable and System.IComparable<T>, the ordering
// interfaces (.NET keeps both in one file). CompareTo returns a negative number,
// zero or a positive number as this instance sorts before, with or after the other.
namespace System;

public interface IComparable
{
    int CompareTo(object? obj);
}

public interface IComparable<in T>
{
    int CompareTo(T? other);
}

// Kernel corlib: System.IEquatable<T>, typed equality (EqualityComparer<T>.Default
// uses it for types that implement it, without boxing).
namespace System;

public interface IEquatable<T>
{
    bool Equals(T? other);
}

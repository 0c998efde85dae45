// Kernel corlib: System.Boolean (bool). Operators are intrinsic; equality,
// hashing (1 or 0), ordering (false before true) and text match .NET's.
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct Boolean : IComparable, IComparable<bool>, IEquatable<bool>
{
    private readonly bool m_value;

    public static readonly string TrueString = "True";
    public static readonly string FalseString = "False";

    public int CompareTo(bool value) => m_value == value ? 0 : m_value ? 1 : -1;

    public int CompareTo(object? obj)
    {
        if (obj is bool other) return CompareTo(other);
        if (obj is not null) ThrowHelper.ThrowArgument("object must be of type Boolean");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is bool other && m_value == other;

    public bool Equals(bool obj) => m_value == obj;

    public override int GetHashCode() => m_value ? 1 : 0;

    public override string ToString() => m_value ? TrueString : FalseString;
}

// Kernel corlib: System.Double (double). Operators are intrinsic; equality
// (NaN equals NaN), hashing (all zeros alike, all NaNs alike) and ordering (NaN
// first) match .NET's. No formatting or parsing.
using System.Diagnostics.CodeAnalysis;

namespace System;

// Safety: reinterprets the double's own 8 bytes as a long (no memory outside the local).
public readonly unsafe struct Double : IComparable, IComparable<double>, IEquatable<double>
{
    private readonly double m_value;

    public const double MinValue = -1.7976931348623157E+308;
    public const double MaxValue = 1.7976931348623157E+308;
    public const double Epsilon = 4.9406564584124654E-324;
    public const double NegativeInfinity = -1.0 / 0.0;
    public const double PositiveInfinity = 1.0 / 0.0;
    public const double NaN = 0.0 / 0.0;

    private const long PositiveInfinityBits = 0x7FF0000000000000;

    public static bool IsNaN(double d) => (*(long*)&d & long.MaxValue) > PositiveInfinityBits;
    public static bool IsInfinity(double d) => d == PositiveInfinity || d == NegativeInfinity;
    public static bool IsPositiveInfinity(double d) => d == PositiveInfinity;
    public static bool IsNegativeInfinity(double d) => d == NegativeInfinity;
    public static bool IsFinite(double d) => !IsNaN(d) && !IsInfinity(d);

    public int CompareTo(double value)
    {
        if (m_value < value) return -1;
        if (m_value > value) return 1;
        if (m_value == value) return 0;
        if (IsNaN(m_value)) return IsNaN(value) ? 0 : -1;
        return 1;
    }

    public int CompareTo(object? value)
    {
        if (value is double other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type Double");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is double other && Equals(other);

    public bool Equals(double obj) => m_value == obj || (IsNaN(obj) && IsNaN(m_value));

    public override int GetHashCode()
    {
        double value = m_value;
        long bits = *(long*)&value;
        if (IsNaN(value) || value == 0) bits &= PositiveInfinityBits;
        return unchecked((int)bits ^ (int)(bits >> 32));
    }
}

// Kernel corlib: System.Single (float). Operators are intrinsic; equality
// (NaN equals NaN), hashing (all zeros alike, all NaNs alike) and ordering (NaN
// first) match .NET's. No formatting or parsing.
using System.Diagnostics.CodeAnalysis;

namespace System;

// Safety: reinterprets the float's own 4 bytes as an int (no memory outside the local).
public readonly unsafe struct Single : IComparable, IComparable<float>, IEquatable<float>
{
    private readonly float m_value;

    public const float MinValue = -3.40282346638528859e+38f;
    public const float MaxValue = 3.40282346638528859e+38f;
    public const float Epsilon = 1.401298E-45f;
    public const float NegativeInfinity = -1.0f / 0.0f;
    public const float PositiveInfinity = 1.0f / 0.0f;
    public const float NaN = 0.0f / 0.0f;

    private const int PositiveInfinityBits = 0x7F800000;

    public static bool IsNaN(float f) => (*(int*)&f & int.MaxValue) > PositiveInfinityBits;
    public static bool IsInfinity(float f) => f == PositiveInfinity || f == NegativeInfinity;
    public static bool IsFinite(float f) => !IsNaN(f) && !IsInfinity(f);

    public int CompareTo(float value)
    {
        if (m_value < value) return -1;
        if (m_value > value) return 1;
        if (m_value == value) return 0;
        if (IsNaN(m_value)) return IsNaN(value) ? 0 : -1;
        return 1;
    }

    public int CompareTo(object? value)
    {
        if (value is float other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type Single");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is float other && Equals(other);

    public bool Equals(float obj) => m_value == obj || (IsNaN(obj) && IsNaN(m_value));

    public override int GetHashCode()
    {
        float value = m_value;
        int bits = *(int*)&value;
        if (IsNaN(value) || value == 0) bits &= PositiveInfinityBits;
        return bits;
    }
}

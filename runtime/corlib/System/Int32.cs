// Kernel corlib: System.Int32 (int). Operators are intrinsic; equality, hashing
// and ordering match .NET's, formatting and parsing are invariant (see Number.*.cs).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct Int32 : IComparable, IComparable<int>, IEquatable<int>
{
    private readonly int m_value;

    public const int MinValue = -2147483648;
    public const int MaxValue = 2147483647;

    public int CompareTo(int value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public int CompareTo(object? value)
    {
        if (value is int other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type Int32");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is int other && m_value == other;

    public bool Equals(int obj) => m_value == obj;

    public override int GetHashCode() => m_value;

    public override string ToString() => Number.FormatSigned(m_value, null, 4);

    public string ToString(string? format) => Number.FormatSigned(m_value, format, 4);

    public static bool TryParse([NotNullWhen(true)] string? s, out int result)
    {
        bool ok = Number.TryParseSigned(s, MinValue, MaxValue, out long value);
        result = (int)value;
        return ok;
    }
}

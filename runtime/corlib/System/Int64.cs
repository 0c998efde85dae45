// Kernel corlib: System.Int64 (long). Operators are intrinsic; equality, hashing
// and ordering match .NET's, formatting and parsing are invariant (see Number.*.cs).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct Int64 : IComparable, IComparable<long>, IEquatable<long>
{
    private readonly long m_value;

    public const long MinValue = unchecked((long)0x8000000000000000);
    public const long MaxValue = 9223372036854775807;

    public int CompareTo(long value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public int CompareTo(object? value)
    {
        if (value is long other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type Int64");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is long other && m_value == other;

    public bool Equals(long obj) => m_value == obj;

    public override int GetHashCode() => unchecked((int)m_value ^ (int)(m_value >> 32));

    public override string ToString() => Number.FormatSigned(m_value, null, 8);

    public string ToString(string? format) => Number.FormatSigned(m_value, format, 8);

    public static bool TryParse([NotNullWhen(true)] string? s, out long result)
    {
        bool ok = Number.TryParseSigned(s, MinValue, MaxValue, out long value);
        result = (long)value;
        return ok;
    }
}

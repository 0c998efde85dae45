// Kernel corlib: System.UInt64 (ulong). Operators are intrinsic; equality, hashing
// and ordering match .NET's, formatting and parsing are invariant (see Number.*.cs).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct UInt64 : IComparable, IComparable<ulong>, IEquatable<ulong>
{
    private readonly ulong m_value;

    public const ulong MinValue = 0;
    public const ulong MaxValue = 18446744073709551615;

    public int CompareTo(ulong value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public int CompareTo(object? value)
    {
        if (value is ulong other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type UInt64");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ulong other && m_value == other;

    public bool Equals(ulong obj) => m_value == obj;

    public override int GetHashCode() => unchecked((int)m_value ^ (int)(m_value >> 32));

    public override string ToString() => Number.FormatUnsigned(m_value, null, 8);

    public string ToString(string? format) => Number.FormatUnsigned(m_value, format, 8);

    public static bool TryParse([NotNullWhen(true)] string? s, out ulong result)
    {
        bool ok = Number.TryParseUnsigned(s, MaxValue, out ulong value);
        result = (ulong)value;
        return ok;
    }
}

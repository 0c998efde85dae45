// Kernel corlib: System.SByte (sbyte). Operators are intrinsic; equality, hashing
// and ordering match .NET's, formatting and parsing are invariant (see Number.*.cs).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct SByte : IComparable, IComparable<sbyte>, IEquatable<sbyte>
{
    private readonly sbyte m_value;

    public const sbyte MinValue = -128;
    public const sbyte MaxValue = 127;

    public int CompareTo(sbyte value) => m_value - value;

    public int CompareTo(object? value)
    {
        if (value is sbyte other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type SByte");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is sbyte other && m_value == other;

    public bool Equals(sbyte obj) => m_value == obj;

    public override int GetHashCode() => m_value;

    public override string ToString() => Number.FormatSigned(m_value, null, 1);

    public string ToString(string? format) => Number.FormatSigned(m_value, format, 1);

    public static bool TryParse([NotNullWhen(true)] string? s, out sbyte result)
    {
        bool ok = Number.TryParseSigned(s, MinValue, MaxValue, out long value);
        result = (sbyte)value;
        return ok;
    }
}

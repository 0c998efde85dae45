// Kernel corlib: System.Int16 (short). Operators are intrinsic; equality, hashing
// and ordering match .NET's, formatting and parsing are invariant (see Number.*.cs).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct Int16 : IComparable, IComparable<short>, IEquatable<short>
{
    private readonly short m_value;

    public const short MinValue = -32768;
    public const short MaxValue = 32767;

    public int CompareTo(short value) => m_value - value;

    public int CompareTo(object? value)
    {
        if (value is short other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type Int16");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is short other && m_value == other;

    public bool Equals(short obj) => m_value == obj;

    public override int GetHashCode() => m_value;

    public override string ToString() => Number.FormatSigned(m_value, null, 2);

    public string ToString(string? format) => Number.FormatSigned(m_value, format, 2);

    public static bool TryParse([NotNullWhen(true)] string? s, out short result)
    {
        bool ok = Number.TryParseSigned(s, MinValue, MaxValue, out long value);
        result = (short)value;
        return ok;
    }
}

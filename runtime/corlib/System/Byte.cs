// Kernel corlib: System.Byte (byte). Operators are intrinsic; equality, hashing
// and ordering match .NET's, formatting and parsing are invariant (see Number.*.cs).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct Byte : IComparable, IComparable<byte>, IEquatable<byte>
{
    private readonly byte m_value;

    public const byte MinValue = 0;
    public const byte MaxValue = 255;

    public int CompareTo(byte value) => m_value - value;

    public int CompareTo(object? value)
    {
        if (value is byte other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type Byte");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is byte other && m_value == other;

    public bool Equals(byte obj) => m_value == obj;

    public override int GetHashCode() => m_value;

    public override string ToString() => Number.FormatUnsigned(m_value, null, 1);

    public string ToString(string? format) => Number.FormatUnsigned(m_value, format, 1);

    public static bool TryParse([NotNullWhen(true)] string? s, out byte result)
    {
        bool ok = Number.TryParseUnsigned(s, MaxValue, out ulong value);
        result = (byte)value;
        return ok;
    }
}

// Kernel corlib: System.UInt16 (ushort). Operators are intrinsic; equality, hashing
// and ordering match .NET's, formatting and parsing are invariant (see Number.*.cs).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct UInt16 : IComparable, IComparable<ushort>, IEquatable<ushort>
{
    private readonly ushort m_value;

    public const ushort MinValue = 0;
    public const ushort MaxValue = 65535;

    public int CompareTo(ushort value) => m_value - value;

    public int CompareTo(object? value)
    {
        if (value is ushort other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type UInt16");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ushort other && m_value == other;

    public bool Equals(ushort obj) => m_value == obj;

    public override int GetHashCode() => m_value;

    public override string ToString() => Number.FormatUnsigned(m_value, null, 2);

    public string ToString(string? format) => Number.FormatUnsigned(m_value, format, 2);

    public static bool TryParse([NotNullWhen(true)] string? s, out ushort result)
    {
        bool ok = Number.TryParseUnsigned(s, MaxValue, out ulong value);
        result = (ushort)value;
        return ok;
    }
}

// Kernel corlib: System.UInt32 (uint). Operators are intrinsic; equality, hashing
// and ordering match .NET's, formatting and parsing are invariant (see Number.*.cs).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct UInt32 : IComparable, IComparable<uint>, IEquatable<uint>
{
    private readonly uint m_value;

    public const uint MinValue = 0;
    public const uint MaxValue = 4294967295;

    public int CompareTo(uint value) => m_value < value ? -1 : m_value > value ? 1 : 0;

    public int CompareTo(object? value)
    {
        if (value is uint other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type UInt32");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is uint other && m_value == other;

    public bool Equals(uint obj) => m_value == obj;

    public override int GetHashCode() => (int)m_value;

    public override string ToString() => Number.FormatUnsigned(m_value, null, 4);

    public string ToString(string? format) => Number.FormatUnsigned(m_value, format, 4);

    public static bool TryParse([NotNullWhen(true)] string? s, out uint result)
    {
        bool ok = Number.TryParseUnsigned(s, MaxValue, out ulong value);
        result = (uint)value;
        return ok;
    }
}

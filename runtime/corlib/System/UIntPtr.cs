// Kernel corlib: System.UIntPtr (nuint). Equality, hashing (as ulong) and
// ordering match .NET's on 64-bit; ToString is invariant decimal.
using System.Diagnostics.CodeAnalysis;

namespace System;

// Safety: the value is an address the caller owns; this type only stores and converts it.
public readonly unsafe struct UIntPtr : IComparable, IComparable<nuint>, IEquatable<nuint>
{
    private readonly void* _value;

    public static readonly UIntPtr Zero;

    public UIntPtr(void* value) { _value = value; }
    public UIntPtr(ulong value) { _value = (void*)value; }

    public static int Size => sizeof(nuint);
    public static nuint MaxValue => unchecked((nuint)ulong.MaxValue);
    public static nuint MinValue => 0;

    public void* ToPointer() => _value;
    public ulong ToUInt64() => (ulong)_value;

    public static explicit operator UIntPtr(ulong value) => new UIntPtr(value);
    public static explicit operator ulong(UIntPtr value) => (ulong)value._value;
    public static bool operator ==(UIntPtr a, UIntPtr b) => a._value == b._value;
    public static bool operator !=(UIntPtr a, UIntPtr b) => a._value != b._value;

    public int CompareTo(nuint value) => ((ulong)_value).CompareTo((ulong)value);

    public int CompareTo(object? value)
    {
        if (value is nuint other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type UIntPtr");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is nuint other && _value == (void*)other;

    public bool Equals(nuint other) => _value == (void*)other;

    public override int GetHashCode() => ((ulong)_value).GetHashCode();

    public override string ToString() => ((ulong)_value).ToString();
}

// Kernel corlib: System.IntPtr (nint). Equality, hashing (as long) and
// ordering match .NET's on 64-bit; ToString is invariant decimal.
using System.Diagnostics.CodeAnalysis;

namespace System;

// Safety: the value is an address the caller owns; this type only stores and converts it.
public readonly unsafe struct IntPtr : IComparable, IComparable<nint>, IEquatable<nint>
{
    private readonly void* _value;

    public static readonly IntPtr Zero;

    public IntPtr(void* value) { _value = value; }
    public IntPtr(int value) { _value = (void*)value; }
    public IntPtr(long value) { _value = (void*)value; }

    public static int Size => sizeof(nint);
    public static nint MaxValue => unchecked((nint)long.MaxValue);
    public static nint MinValue => unchecked((nint)long.MinValue);

    public void* ToPointer() => _value;
    public long ToInt64() => (long)_value;

    public static explicit operator IntPtr(int value) => new IntPtr(value);
    public static explicit operator IntPtr(long value) => new IntPtr(value);
    public static explicit operator IntPtr(void* value) => new IntPtr(value);
    public static explicit operator void*(IntPtr value) => value._value;
    public static explicit operator long(IntPtr value) => (long)value._value;
    public static bool operator ==(IntPtr a, IntPtr b) => a._value == b._value;
    public static bool operator !=(IntPtr a, IntPtr b) => a._value != b._value;

    public int CompareTo(nint value) => ((long)_value).CompareTo((long)value);

    public int CompareTo(object? value)
    {
        if (value is nint other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type IntPtr");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is nint other && _value == (void*)other;

    public bool Equals(nint other) => _value == (void*)other;

    public override int GetHashCode() => ((long)_value).GetHashCode();

    public override string ToString() => ((long)_value).ToString();
}

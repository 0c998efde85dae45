// Kernel corlib: System.UIntPtr (nuint).
namespace System;

public unsafe struct UIntPtr
{
    private void* _value;

    public UIntPtr(void* value) { _value = value; }
    public UIntPtr(ulong value) { _value = (void*)value; }

    public void* ToPointer() => _value;

    public static explicit operator UIntPtr(ulong value) => new UIntPtr(value);
    public static explicit operator ulong(UIntPtr value) => (ulong)value._value;
    public static bool operator ==(UIntPtr a, UIntPtr b) => a._value == b._value;
    public static bool operator !=(UIntPtr a, UIntPtr b) => a._value != b._value;

    public override bool Equals(object? o) => false;
    public override int GetHashCode() => (int)(ulong)_value;
}

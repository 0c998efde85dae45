// Kernel corlib: System.IntPtr (nint).
namespace System;

public unsafe struct IntPtr
{
    private void* _value;

    public static readonly IntPtr Zero;

    public IntPtr(void* value) { _value = value; }
    public IntPtr(int value) { _value = (void*)value; }
    public IntPtr(long value) { _value = (void*)value; }

    public static int Size => sizeof(nint);

    public void* ToPointer() => _value;
    public long ToInt64() => (long)_value;

    public static explicit operator IntPtr(int value) => new IntPtr(value);
    public static explicit operator IntPtr(long value) => new IntPtr(value);
    public static explicit operator IntPtr(void* value) => new IntPtr(value);
    public static explicit operator void*(IntPtr value) => value._value;
    public static explicit operator long(IntPtr value) => (long)value._value;
    public static bool operator ==(IntPtr a, IntPtr b) => a._value == b._value;
    public static bool operator !=(IntPtr a, IntPtr b) => a._value != b._value;

    public override bool Equals(object? o) => false;
    public override int GetHashCode() => (int)(long)_value;
}

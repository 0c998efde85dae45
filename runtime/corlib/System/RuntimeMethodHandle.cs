// Kernel corlib: System.RuntimeMethodHandle (compiler contract; ldtoken results).
namespace System;

public struct RuntimeMethodHandle
{
    private IntPtr _value;

    internal RuntimeMethodHandle(IntPtr value) { _value = value; }
}

// Kernel corlib: System.RuntimeTypeHandle (compiler contract; ldtoken results).
namespace System;

public struct RuntimeTypeHandle
{
    private IntPtr _value;

    internal RuntimeTypeHandle(IntPtr value) { _value = value; }
}

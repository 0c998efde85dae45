// Kernel corlib: System.RuntimeFieldHandle (compiler contract; ldtoken results).
namespace System;

public struct RuntimeFieldHandle
{
    private IntPtr _value;

    internal RuntimeFieldHandle(IntPtr value) { _value = value; }
}

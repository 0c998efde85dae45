// Kernel corlib: System.RuntimeMethodHandle (compiler contract; ldtoken results).
namespace System;

public struct RuntimeMethodHandle
{
#pragma warning disable 169
    private IntPtr _value;
#pragma warning restore 169
}

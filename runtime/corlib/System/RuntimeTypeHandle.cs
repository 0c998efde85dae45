// Kernel corlib: System.RuntimeTypeHandle (compiler contract; ldtoken results).
namespace System;

public struct RuntimeTypeHandle
{
#pragma warning disable 169
    private IntPtr _value;
#pragma warning restore 169
}

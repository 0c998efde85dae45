// Kernel corlib: System.Int32 (int). The compiler needs the type; operators are intrinsic.
namespace System;

public struct Int32
{
#pragma warning disable 169
    private int m_value;
#pragma warning restore 169

    public const int MinValue = -2147483648;
    public const int MaxValue = 2147483647;
}

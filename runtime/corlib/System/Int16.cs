// Kernel corlib: System.Int16 (short). The compiler needs the type; operators are intrinsic.
namespace System;

public struct Int16
{
#pragma warning disable 169
    private short m_value;
#pragma warning restore 169

    public const short MinValue = -32768;
    public const short MaxValue = 32767;
}

// Kernel corlib: System.Byte (byte). The compiler needs the type; operators are intrinsic.
namespace System;

public struct Byte
{
#pragma warning disable 169
    private byte m_value;
#pragma warning restore 169

    public const byte MinValue = 0;
    public const byte MaxValue = 255;
}

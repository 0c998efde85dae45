// Kernel corlib: System.SByte (sbyte). The compiler needs the type; operators are intrinsic.
namespace System;

public struct SByte
{
#pragma warning disable 169
    private sbyte m_value;
#pragma warning restore 169

    public const sbyte MinValue = -128;
    public const sbyte MaxValue = 127;
}

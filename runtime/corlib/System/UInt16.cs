// Kernel corlib: System.UInt16 (ushort). The compiler needs the type; operators are intrinsic.
namespace System;

public struct UInt16
{
#pragma warning disable 169
    private ushort m_value;
#pragma warning restore 169

    public const ushort MinValue = 0;
    public const ushort MaxValue = 65535;
}

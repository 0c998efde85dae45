// Kernel corlib: System.UInt32 (uint). The compiler needs the type; operators are intrinsic.
namespace System;

public struct UInt32
{
#pragma warning disable 169
    private uint m_value;
#pragma warning restore 169

    public const uint MinValue = 0;
    public const uint MaxValue = 4294967295;
}

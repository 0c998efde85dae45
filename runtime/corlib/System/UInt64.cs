// Kernel corlib: System.UInt64 (ulong). The compiler needs the type; operators are intrinsic.
namespace System;

public struct UInt64
{
#pragma warning disable 169
    private ulong m_value;
#pragma warning restore 169

    public const ulong MinValue = 0;
    public const ulong MaxValue = 18446744073709551615;
}

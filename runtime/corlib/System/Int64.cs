// Kernel corlib: System.Int64 (long). The compiler needs the type; operators are intrinsic.
namespace System;

public struct Int64
{
#pragma warning disable 169
    private long m_value;
#pragma warning restore 169

    public const long MinValue = unchecked((long)0x8000000000000000);
    public const long MaxValue = 9223372036854775807;
}

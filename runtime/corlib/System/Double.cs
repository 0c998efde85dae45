// Kernel corlib: System.Double (double). The compiler needs the type; operators are intrinsic.
namespace System;

public struct Double
{
#pragma warning disable 169
    private double m_value;
#pragma warning restore 169
}

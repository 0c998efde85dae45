// Kernel corlib: System.Single (float). The compiler needs the type; operators are intrinsic.
namespace System;

public struct Single
{
#pragma warning disable 169
    private float m_value;
#pragma warning restore 169
}

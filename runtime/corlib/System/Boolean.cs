// Kernel corlib: System.Boolean (bool). The compiler needs the type; operators are intrinsic.
namespace System;

public struct Boolean
{
#pragma warning disable 169
    private bool m_value;
#pragma warning restore 169
}

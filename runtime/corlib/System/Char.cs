// Kernel corlib: System.Char (char). The compiler needs the type; operators are intrinsic.
namespace System;

public struct Char
{
#pragma warning disable 169
    private char m_value;
#pragma warning restore 169

    public const char MinValue = '\0';
    public const char MaxValue = '\uffff';
}

// Kernel corlib: System.ObsoleteAttribute.
namespace System;

public sealed class ObsoleteAttribute : Attribute
{
    public ObsoleteAttribute() { }
    public ObsoleteAttribute(string message) { }
}

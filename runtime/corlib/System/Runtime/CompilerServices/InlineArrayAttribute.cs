// Kernel corlib: System.Runtime.CompilerServices.InlineArrayAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Struct)]
public sealed class InlineArrayAttribute : Attribute
{
    public InlineArrayAttribute(int length) { }
}

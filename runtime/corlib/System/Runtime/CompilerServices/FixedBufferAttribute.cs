// Kernel corlib: System.Runtime.CompilerServices.FixedBufferAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Field)]
public sealed class FixedBufferAttribute : Attribute
{
    public FixedBufferAttribute(Type elementType, int length) { }
}

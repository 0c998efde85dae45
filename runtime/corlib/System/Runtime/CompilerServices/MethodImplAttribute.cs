// Kernel corlib: System.Runtime.CompilerServices.MethodImplAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
public sealed class MethodImplAttribute : Attribute
{
    public MethodImplAttribute(MethodImplOptions methodImplOptions) { }
    public MethodImplAttribute(short value) { }
}

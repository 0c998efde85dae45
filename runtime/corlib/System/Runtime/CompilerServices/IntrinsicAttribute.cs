// Kernel corlib: System.Runtime.CompilerServices.IntrinsicAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method | AttributeTargets.Field | AttributeTargets.Constructor)]
public sealed class IntrinsicAttribute : Attribute
{

}

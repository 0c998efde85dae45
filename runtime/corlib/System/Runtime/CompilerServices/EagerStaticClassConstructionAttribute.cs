// Kernel corlib: System.Runtime.CompilerServices.EagerStaticClassConstructionAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Class)]
public sealed class EagerStaticClassConstructionAttribute : Attribute
{

}

// Kernel corlib: System.Runtime.CompilerServices.ExtensionAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Assembly)]
public sealed class ExtensionAttribute : Attribute
{

}

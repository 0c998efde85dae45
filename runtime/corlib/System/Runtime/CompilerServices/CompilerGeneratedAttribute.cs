// Kernel corlib: System.Runtime.CompilerServices.CompilerGeneratedAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.All)]
public sealed class CompilerGeneratedAttribute : Attribute
{

}

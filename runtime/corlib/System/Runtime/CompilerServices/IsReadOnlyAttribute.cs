// Kernel corlib: System.Runtime.CompilerServices.IsReadOnlyAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.All)]
public sealed class IsReadOnlyAttribute : Attribute
{

}

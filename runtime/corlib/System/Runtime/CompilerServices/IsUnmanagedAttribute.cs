// Kernel corlib: System.Runtime.CompilerServices.IsUnmanagedAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.All)]
public sealed class IsUnmanagedAttribute : Attribute
{

}

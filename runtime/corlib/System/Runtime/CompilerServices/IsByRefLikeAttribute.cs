// Kernel corlib: System.Runtime.CompilerServices.IsByRefLikeAttribute (compiler contract).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Struct)]
public sealed class IsByRefLikeAttribute : Attribute
{

}

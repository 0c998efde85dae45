// Kernel corlib: System.Runtime.CompilerServices.IsVolatile (compiler contract).
namespace System.Runtime.CompilerServices;

public static class IsVolatile
{

}

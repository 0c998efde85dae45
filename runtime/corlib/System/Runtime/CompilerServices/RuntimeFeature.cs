// Kernel corlib: System.Runtime.CompilerServices.RuntimeFeature. The C# compiler
// checks these names to enable ref fields, numeric nint and function pointers.
namespace System.Runtime.CompilerServices;

public static class RuntimeFeature
{
    public const string ByRefFields = nameof(ByRefFields);
    public const string NumericIntPtr = nameof(NumericIntPtr);
    public const string UnmanagedSignatureCallingConvention = nameof(UnmanagedSignatureCallingConvention);
    public const string DefaultImplementationsOfInterfaces = nameof(DefaultImplementationsOfInterfaces);
}

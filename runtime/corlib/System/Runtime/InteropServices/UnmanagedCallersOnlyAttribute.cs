// Kernel corlib: System.Runtime.InteropServices.UnmanagedCallersOnlyAttribute.
namespace System.Runtime.InteropServices;

[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UnmanagedCallersOnlyAttribute : Attribute
{
    public string? EntryPoint;
    public Type[]? CallConvs;
}

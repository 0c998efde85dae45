// Kernel corlib: System.Runtime.InteropServices.OutAttribute.
namespace System.Runtime.InteropServices;

[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class OutAttribute : Attribute { }

// Kernel corlib: exports a managed method under a native symbol name (compiler contract).
namespace System.Runtime;

[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RuntimeExportAttribute : Attribute
{
    public string EntryPoint { get; }
    public RuntimeExportAttribute(string entry) { EntryPoint = entry; }
}

// Kernel corlib: marks an extern method as a direct call to a native symbol (compiler contract).
namespace System.Runtime;

[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RuntimeImportAttribute : Attribute
{
    public string DllName { get; }
    public string EntryPoint { get; }
    public RuntimeImportAttribute(string entry) { DllName = ""; EntryPoint = entry; }
    public RuntimeImportAttribute(string dllName, string entry) { DllName = dllName; EntryPoint = entry; }
}

// The metal sources export the write barrier's Shade under a native symbol for
// the stubs; the host has no such attribute, so this stand-in lets them compile
// here (host tests call Shade directly).
namespace System.Runtime;

[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class RuntimeExportAttribute : Attribute
{
    public RuntimeExportAttribute(string entry) { EntryPoint = entry; }

    public string EntryPoint { get; }
}

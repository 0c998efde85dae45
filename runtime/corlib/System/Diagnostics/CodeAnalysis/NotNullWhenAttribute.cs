// Kernel corlib: a nullable-analysis hint: the argument is not null when the method returns ReturnValue.
namespace System.Diagnostics.CodeAnalysis;

[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class NotNullWhenAttribute : Attribute
{
    public NotNullWhenAttribute(bool returnValue) { ReturnValue = returnValue; }
    public bool ReturnValue { get; }
}

// Kernel corlib: System.Runtime.CompilerServices.AsyncMethodBuilderAttribute
// (compiler contract: names the builder of a task-like type; for a generic
// task type the builder is given open, typeof(Builder<>)).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Delegate | AttributeTargets.Enum | AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class AsyncMethodBuilderAttribute : Attribute
{
    public AsyncMethodBuilderAttribute(Type builderType) { BuilderType = builderType; }

    /// <summary>The builder type.</summary>
    public Type BuilderType { get; }
}

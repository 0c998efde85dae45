// Kernel corlib: System.Reflection.DefaultMemberAttribute (the compiler marks indexers with it).
namespace System.Reflection;

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface)]
public sealed class DefaultMemberAttribute : Attribute
{
    public DefaultMemberAttribute(string memberName) { MemberName = memberName; }
    public string MemberName { get; }
}

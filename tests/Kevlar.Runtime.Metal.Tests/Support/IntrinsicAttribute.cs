// The corlib's MethodTable.cs marks a JIT intrinsic; on the host the real
// attribute is internal to System.Private.CoreLib, so this stand-in lets the
// metal sources compile here (the host never calls the intrinsic).
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Method)]
internal sealed class IntrinsicAttribute : Attribute
{
}

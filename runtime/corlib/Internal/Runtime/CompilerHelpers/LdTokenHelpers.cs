// Kernel corlib: how compiled code materialises an `ldtoken` (compiler
// contract: ilc looks these up by name). The C# compiler emits one for every
// array initializer of constant data (`new int[] { 1, 2 }`), which ilc then
// expands in place, so these rarely run; a handle only wraps the pointer.
using System;

namespace Internal.Runtime.CompilerHelpers;

internal static class LdTokenHelpers
{
    private static RuntimeTypeHandle GetRuntimeTypeHandle(IntPtr pEEType) => new RuntimeTypeHandle(pEEType);
    private static RuntimeMethodHandle GetRuntimeMethodHandle(IntPtr pHandleSignature) => new RuntimeMethodHandle(pHandleSignature);
    private static RuntimeFieldHandle GetRuntimeFieldHandle(IntPtr pHandleSignature) => new RuntimeFieldHandle(pHandleSignature);
}

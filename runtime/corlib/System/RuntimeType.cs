// Kernel corlib: System.RuntimeType. The JIT asks for this built-in class by
// name (compiler contract); the kernel never creates one.
namespace System;

internal sealed class RuntimeType : Type { }

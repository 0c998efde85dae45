// Kernel corlib: System.Type. Only present because the compiler needs it;
// there is no reflection in the kernel.
namespace System;

public abstract class Type { }

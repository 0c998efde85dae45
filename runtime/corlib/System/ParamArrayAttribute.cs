// Kernel corlib: System.ParamArrayAttribute (the compiler wants it to exist).
namespace System;

[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ParamArrayAttribute : Attribute { }

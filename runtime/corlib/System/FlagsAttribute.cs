// Kernel corlib: System.FlagsAttribute.
namespace System;

[AttributeUsage(AttributeTargets.Enum)]
public sealed class FlagsAttribute : Attribute { }

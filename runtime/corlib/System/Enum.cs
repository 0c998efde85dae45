// Kernel corlib: System.Enum, the base of every enum.
namespace System;

public abstract class Enum : ValueType { }

// Kernel corlib: System.ValueType, the base of every struct.
namespace System;

public abstract class ValueType { }

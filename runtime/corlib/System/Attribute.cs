// Kernel corlib: System.Attribute.
namespace System;

public abstract class Attribute { }

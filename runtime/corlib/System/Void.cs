// Kernel corlib: System.Void.
namespace System;

public struct Void { }

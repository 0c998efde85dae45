// Kernel corlib: System.MulticastDelegate, the base the C# compiler gives
// delegate types. Multicast (+=) is not supported in the kernel.
namespace System;

public abstract class MulticastDelegate : Delegate { }

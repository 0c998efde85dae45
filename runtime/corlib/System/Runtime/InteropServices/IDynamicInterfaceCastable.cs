// Kernel corlib: the compiler requires this interface and its helper to exist
// (compiler contract); the kernel has no implementers, so reaching the helper
// is a broken contract and panics.
namespace System.Runtime.InteropServices;

public unsafe interface IDynamicInterfaceCastable
{
    bool IsInterfaceImplemented(RuntimeTypeHandle interfaceType, bool throwIfNotImplemented);
    RuntimeTypeHandle GetInterfaceImplementation(RuntimeTypeHandle interfaceType);

    internal static nint GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, Internal.Runtime.MethodTable* interfaceType, ushort slot)
    {
        RuntimeImports.KevlarFailFast("IDynamicInterfaceCastable dispatch");
        return 0;
    }
}

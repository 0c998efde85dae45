// Kernel corlib: runs lazy static constructors once (compiler contract). Two
// CPUs may race to the same cctor: one wins the CAS, the other spins until it
// reads 0. A cctor that re-enters its own type would spin forever, so kernel
// static constructors must not touch their own type's statics through another type,
// and two CPUs running cctors that need each other's type would wait forever.
using System.Runtime;
using System.Threading;

namespace System.Runtime.CompilerServices;

internal static unsafe class ClassConstructorRunner
{
    private static object CheckStaticClassConstructionReturnGCStaticBase(ref StaticClassConstructionContext context, object gcStaticBase)
    {
        CheckStaticClassConstruction(ref context);
        return gcStaticBase;
    }

    private static nint CheckStaticClassConstructionReturnNonGCStaticBase(ref StaticClassConstructionContext context, nint nonGcStaticBase)
    {
        CheckStaticClassConstruction(ref context);
        return nonGcStaticBase;
    }

    private static void CheckStaticClassConstruction(ref StaticClassConstructionContext context)
    {
        while (true)
        {
            nint state = Volatile.Read(ref context.cctorMethodAddress);
            if (state == 0) return;
            if (state == 1) { RuntimeImports.Pause(); continue; }
            if (Interlocked.CompareExchange(ref context.cctorMethodAddress, 1, state) == state)
            {
                ((delegate*<void>)state)();
                Interlocked.MemoryBarrier();
                Volatile.Write(ref context.cctorMethodAddress, 0);
                return;
            }
        }
    }
}

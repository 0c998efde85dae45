// Kernel corlib: runs lazy static constructors once (compiler contract). The
// context's word is the cctor's address until it runs, -(cpu + 1) while CPU
// `cpu` runs it, and 0 after. Two CPUs may race to the same cctor: one wins
// the CAS, the other spins until it reads 0. The CPU running a cctor passes
// straight through when the cctor reaches its own type again (a static field
// initializer that builds an object of its type), as .NET lets the thread
// running a cctor through: kernel code is never preempted, so re-entry on that
// CPU can only be that recursion. Two CPUs running cctors that need each
// other's type would still wait forever, as two .NET threads would deadlock.
// Code addresses are positive (the image is identity-mapped low), so the
// negative in-progress marks never collide with one.
using System.Runtime;
using System.Threading;
using Kevlar.Runtime.Metal.Memory;

namespace System.Runtime.CompilerServices;

// Safety: the only pointer is the cctor's address, which the compiler put in the context.
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
        nint running = -(nint)(CurrentCpu() + 1);
        while (true)
        {
            nint state = Volatile.Read(ref context.cctorMethodAddress);
            if (state == 0 || state == running) return;
            if (state < 0) { RuntimeImports.Pause(); continue; }
            if (Interlocked.CompareExchange(ref context.cctorMethodAddress, running, state) == state)
            {
                ((delegate*<void>)state)();
                Interlocked.MemoryBarrier();
                Volatile.Write(ref context.cctorMethodAddress, 0);
                return;
            }
        }
    }

    // Before the platform installs its CPU query only the boot CPU runs.
    private static int CurrentCpu()
    {
        delegate*<int> query = GcHeap.CurrentCpu;
        return query == null ? 0 : query();
    }
}

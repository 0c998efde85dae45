// LockWatch on the host: no CPUs to watch (the Coyote tests explore lock
// protocols instead); the metal twin, runtime/metal/Threading/LockWatch.cs,
// checks lock order and measures hold and wait times.
namespace Kevlar.Runtime.Threading;

public static class LockWatch
{
    public static ulong Taking(LockClass c, bool checkOrder = true) => 0;

    public static ulong Taken(LockClass c, ulong since, bool waited) => since;

    public static void Released(LockClass c, ulong since) { }

    public static LockFigures Read(LockClass c) => default;
}

// Kernel corlib: the runtime services the corlib calls, by native symbol. They
// are implemented by the kernel runtime (Kevlar.Runtime.Memory, Diagnostics).
using System.Runtime.CompilerServices;

namespace System.Runtime;

internal static unsafe class RuntimeImports
{
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpNewFast")]
    internal static extern object RhpNewFast(Internal.Runtime.MethodTable* methodTable);

    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpNewArray")]
    internal static extern object RhpNewArray(nint methodTable, int length);

    /// <summary>The spin-wait hint (x86 pause).</summary>
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "kevlar_pause")]
    internal static extern void Pause();

    /// <summary>Stops the kernel with a panic report; never returns.</summary>
    [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "KevlarFailFast")]
    internal static extern void KevlarFailFast(string reason);
}

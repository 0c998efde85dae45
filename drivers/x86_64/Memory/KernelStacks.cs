// Kernel stacks: each CPU gets a 1 MiB slot in the stack region holding an
// unmapped guard page, a 128 KiB stack, another guard, and a 16 KiB stack for
// the double-fault handler (IST1). Running off the bottom of the stack touches
// the guard, which faults; the fault cannot be delivered on the same stack, so
// the CPU raises a double fault on IST1 and the panic report names the guard.
namespace Kevlar.Drivers.X86_64.Memory;

public static unsafe class KernelStacks
{
    public const ulong StackBytes = 128 * 1024, FaultStackBytes = 16 * 1024;

    /// <summary>Maps CPU <paramref name="cpu"/>'s stacks; returns (stack bottom, stack top, fault stack top).</summary>
    public static void Allocate(int cpu, out ulong bottom, out ulong top, out ulong faultTop)
    {
        ulong slot = PageTables.StackRegion + (ulong)cpu * PageTables.StackSlot;
        bottom = slot + 0x1000;
        top = bottom + StackBytes;
        MapRange(bottom, StackBytes);
        ulong faultBottom = top + 0x1000;
        faultTop = faultBottom + FaultStackBytes;
        MapRange(faultBottom, FaultStackBytes);
    }

    private static void MapRange(ulong virt, ulong bytes)
    {
        for (ulong off = 0; off < bytes; off += 0x1000)
        {
            ulong frame = DirectMap.ToPhysical(PhysicalMemory.AllocateZeroed(1, "a kernel stack"));
            PageTables.Map4K(virt + off, frame, PageTables.Present | PageTables.Writable | PageTables.NoExecute);
        }
    }
}

// Physical memory figures on metal, from the page-frame allocator; the kernel heap's size from the collector.
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Metal.Memory;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalMemoryInfo : IMemoryInfo
{
    public ulong TotalBytes => PhysicalMemory.UsableBytes;

    public ulong FreeBytes => PhysicalMemory.FreeBytes;

    public ulong KernelHeapBytes => (ulong)GcHeap.BlockCount * GcHeap.BlockSize;
}

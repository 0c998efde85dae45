// Physical memory figures on metal, from the page-frame allocator.
using Kevlar.Drivers.X86_64.Memory;
using Kevlar.Runtime.Devices;

namespace Kevlar.Drivers.X86_64;

public sealed class MetalMemoryInfo : IMemoryInfo
{
    public ulong TotalBytes => PhysicalMemory.UsableBytes;

    public ulong FreeBytes => PhysicalMemory.FreeBytes;
}

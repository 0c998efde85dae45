// FakeMemoryInfo: the host twin of the machine's memory counters.
using Kevlar.Runtime.Devices;

namespace Kevlar.Process.Tests.Support;

public sealed class FakeMemoryInfo : IMemoryInfo
{
    public ulong TotalBytes { get; set; } = 512UL << 20;

    public ulong FreeBytes { get; set; } = 384UL << 20;

    public ulong KernelHeapBytes { get; set; } = 256UL << 20;
}

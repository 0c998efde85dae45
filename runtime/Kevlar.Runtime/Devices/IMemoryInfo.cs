// IMemoryInfo: how much physical memory the machine has and has free (sysinfo, /proc/meminfo).
namespace Kevlar.Runtime.Devices;

public interface IMemoryInfo
{
    ulong TotalBytes { get; }

    ulong FreeBytes { get; }

    /// <summary>The kernel heap's size, where file data of in-memory filesystems lives (0: no bound).</summary>
    ulong KernelHeapBytes { get; }
}

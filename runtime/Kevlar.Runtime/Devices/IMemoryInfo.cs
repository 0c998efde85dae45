// IMemoryInfo: how much physical memory the machine has and has free (sysinfo, /proc/meminfo).
namespace Kevlar.Runtime.Devices;

public interface IMemoryInfo
{
    ulong TotalBytes { get; }

    ulong FreeBytes { get; }
}

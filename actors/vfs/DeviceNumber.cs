// DeviceNumber: a dev_t as userspace sees it (st_dev, st_rdev, mknod's
// argument): glibc's gnu_dev_makedev layout; for a major below 4096 and a
// minor below 2^20 it equals Linux's new_encode_dev.
namespace Kevlar.Vfs;

/// <summary>Packing and unpacking of 64-bit dev_t values.</summary>
public static class DeviceNumber
{
    /// <summary>makedev(major, minor).</summary>
    public static ulong Make(uint major, uint minor)
        => ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8)
         | ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);

    /// <summary>major(dev).</summary>
    public static uint Major(ulong dev) => (uint)(((dev >> 32) & 0xFFFFF000) | ((dev >> 8) & 0xFFF));

    /// <summary>minor(dev).</summary>
    public static uint Minor(ulong dev) => (uint)(((dev >> 12) & 0xFFFFFF00) | (dev & 0xFF));
}

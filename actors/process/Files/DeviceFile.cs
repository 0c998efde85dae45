// DeviceFile: the character devices this stage has without a devfs —
// /dev/null (reads end, writes vanish), /dev/zero (reads zeros), /dev/full
// (writes fail with ENOSPC) — with Linux's major:minor numbers (1:3, 1:5, 1:7).
using System;

namespace Kevlar.Process.Files;

public sealed class DeviceFile : OpenFile
{
    public const int Null = 3, Zero = 5, Full = 7;
    private readonly int _minor;

    public DeviceFile(int minor, int flags)
    {
        _minor = minor;
        StatusFlags = flags;
    }

    /// <summary>The device at <paramref name="path"/>, or null when it is not one of these.</summary>
    public static DeviceFile? ForPath(string path, int flags)
    {
        if (path == "/dev/null") return new DeviceFile(Null, flags);
        if (path == "/dev/zero") return new DeviceFile(Zero, flags);
        if (path == "/dev/full") return new DeviceFile(Full, flags);
        return null;
    }

    public override long Read(Span<byte> dest)
    {
        if (_minor == Null) return 0;
        dest.Clear();
        return dest.Length;
    }

    public override long Write(ReadOnlySpan<byte> src) => _minor == Full ? -Errno.ENOSPC : src.Length;

    public override long Seek(long offset, int whence) => 0;

    public override void Stat(ref FileStatus status)
    {
        status.Mode = FileStatus.S_IFCHR | 0x1B6; // crw-rw-rw-
        status.RawDevice = (1UL << 8) | (uint)_minor;
        status.Device = 6;
        status.Inode = (ulong)(_minor + 2);
        status.LinkCount = 1;
        status.BlockSize = 4096;
    }
}

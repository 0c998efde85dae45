// DeviceFile: the memory character devices (major 1): /dev/null (reads end,
// writes vanish), /dev/zero (reads zeros), /dev/full (writes fail with
// ENOSPC), /dev/random and /dev/urandom (reads the kernel generator, writes
// are accepted as entropy and counted), with Linux's numbers 1:3, 1:5, 1:7,
// 1:8, 1:9. Seeking succeeds and changes nothing, as on Linux.
using System;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Files;

public sealed class DeviceFile : OpenFile
{
    public const int Null = 3, Zero = 5, Full = 7, Random = 8, Urandom = 9;
    private readonly int _minor;

    public DeviceFile(int minor, int flags)
    {
        _minor = minor;
        StatusFlags = flags;
    }

    public override long Read(Span<byte> dest)
    {
        if (_minor == Null) return 0;
        if (_minor == Random || _minor == Urandom)
        {
            Syscalls.Getrandom.Fill(dest);
            return dest.Length;
        }
        dest.Clear();
        return dest.Length;
    }

    public override long Write(ReadOnlySpan<byte> src) => _minor == Full ? -Errno.ENOSPC : src.Length;

    // /dev/null and /dev/full never look at the bytes (Linux's write_null, write_full): an unmapped
    // buffer still counts, or still fails with ENOSPC (the system call checked the range already).
    public override KernelTask<long> WriteAsync(UserThread t, ulong buffer, ulong count)
    {
        if (_minor == Null) return KernelTask<long>.FromResult((long)count);
        if (_minor == Full) return KernelTask<long>.FromResult(-Errno.ENOSPC);
        return base.WriteAsync(t, buffer, count);
    }

    public override long Seek(long offset, int whence) => 0;

    public override void Stat(ref FileStatus status)
    {
        status.Mode = FileStatus.S_IFCHR | 0x1B6; // crw-rw-rw-
        status.RawDevice = (1UL << 8) | (uint)_minor;
        status.Device = 5;
        status.Inode = (ulong)(_minor + 2);
        status.LinkCount = 1;
        status.BlockSize = 4096;
    }
}

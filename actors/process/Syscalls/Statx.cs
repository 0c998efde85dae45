// statx(2): the same attributes as stat in struct statx (256 bytes,
// linux/stat.h): stx_mask reports STATX_BASIC_STATS (every field this kernel
// fills; there is no birth time). Flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH,
// AT_NO_AUTOMOUNT and the AT_STATX_SYNC_* modes; a mask with the reserved
// bit STATX__RESERVED is -EINVAL.
using System;
using System.Buffers.Binary;
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Statx
{
    public const uint STATX_BASIC_STATS = 0x7FF, STATX__RESERVED = 0x8000_0000;
    private const int SyncMask = 0x6000, Size = 256;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        int flags = a.Int(2);
        if ((flags & ~(PathLookup.AT_SYMLINK_NOFOLLOW | PathLookup.AT_EMPTY_PATH | PathLookup.AT_NO_AUTOMOUNT | SyncMask)) != 0
            || (flags & SyncMask) == SyncMask || (a.UInt(3) & STATX__RESERVED) != 0)
            return -Errno.EINVAL;
        var s = new FileStatus();
        int r = Stat.Lookup(p, a.Fd(0), a.Pointer(1), flags & ~SyncMask, ref s);
        if (r != 0) return r;
        Span<byte> b = stackalloc byte[Size];
        b.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(b, STATX_BASIC_STATS);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4), (uint)s.BlockSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(16), (uint)s.LinkCount);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(20), s.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(24), s.Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(28), (ushort)s.Mode);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(32), s.Inode);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(40), (ulong)s.FileSize);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(48), (ulong)s.Blocks);
        Timestamp(b.Slice(64), s.AccessSeconds, s.AccessNanoseconds);
        Timestamp(b.Slice(96), s.ChangeSeconds, s.ChangeNanoseconds);
        Timestamp(b.Slice(112), s.ModifySeconds, s.ModifyNanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(128), (uint)(s.RawDevice >> 8) & 0xFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(132), (uint)(s.RawDevice & 0xFF));
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(136), (uint)(s.Device >> 8) & 0xFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(140), (uint)(s.Device & 0xFF));
        return p.UserMemory.Write(a.Pointer(4), b);
    }

    private static void Timestamp(Span<byte> b, long seconds, long nanoseconds)
    {
        BinaryPrimitives.WriteInt64LittleEndian(b, seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), (uint)nanoseconds);
    }
}

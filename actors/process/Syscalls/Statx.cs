// statx(2): the same attributes as stat in struct statx (256 bytes,
// linux/stat.h): stx_mask reports STATX_BASIC_STATS (every field this kernel
// fills) and STATX_BTIME when the file has a birth time (tmpfs does). Flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH,
// AT_NO_AUTOMOUNT and the AT_STATX_SYNC_* modes; a mask with the reserved
// bit STATX__RESERVED is -EINVAL.
using System;
using System.Buffers.Binary;
using Kevlar.Process.Files;
using Kevlar.Process.Files.Vfs;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Statx
{
    public const uint STATX_BASIC_STATS = 0x7FF, STATX_BTIME = 0x800, STATX__RESERVED = 0x8000_0000;
    private const int SyncMask = 0x6000, Size = 256;

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a)
    {
        int flags = a.Int(2);
        if ((flags & ~(PathLookup.AT_SYMLINK_NOFOLLOW | PathLookup.AT_EMPTY_PATH | PathLookup.AT_NO_AUTOMOUNT | SyncMask)) != 0
            || (flags & SyncMask) == SyncMask || (a.UInt(3) & STATX__RESERVED) != 0)
            return KernelTask<long>.FromResult(-Errno.EINVAL);
        var box = new StatBox();
        return Finish(t, Stat.Lookup(t, a.Fd(0), a.Pointer(1), flags & ~SyncMask, box), box, a.Pointer(4));
    }

    private static async KernelTask<long> Finish(UserThread t, KernelTask<long> lookup, StatBox box, ulong address)
    {
        long r = await lookup;
        if (r != 0) return r;
        var bytes = new byte[Size];
        Encode(box.Status, bytes);
        return t.Process.UserMemory.Write(address, bytes);
    }

    private static void Encode(in FileStatus s, Span<byte> b)
    {
        uint mask = STATX_BASIC_STATS | (s.BirthSeconds != 0 ? STATX_BTIME : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b, mask);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4), (uint)s.BlockSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(16), (uint)s.LinkCount);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(20), s.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(24), s.Gid);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(28), (ushort)s.Mode);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(32), s.Inode);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(40), (ulong)s.FileSize);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(48), (ulong)s.Blocks);
        Timestamp(b.Slice(64), s.AccessSeconds, s.AccessNanoseconds);
        Timestamp(b.Slice(80), s.BirthSeconds, s.BirthNanoseconds);
        Timestamp(b.Slice(96), s.ChangeSeconds, s.ChangeNanoseconds);
        Timestamp(b.Slice(112), s.ModifySeconds, s.ModifyNanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(128), (uint)(s.RawDevice >> 8) & 0xFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(132), (uint)(s.RawDevice & 0xFF));
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(136), (uint)(s.Device >> 8) & 0xFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(140), (uint)(s.Device & 0xFF));
    }

    private static void Timestamp(Span<byte> b, long seconds, long nanoseconds)
    {
        BinaryPrimitives.WriteInt64LittleEndian(b, seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), (uint)nanoseconds);
    }
}

// FileStatus: the fields of Linux's struct stat (x86_64, 144 bytes) and their
// encoding into user memory.
using System.Buffers.Binary;
using System;

namespace Kevlar.Process.Files;

public struct FileStatus
{
    public const int Size = 144;
    public const uint S_IFMT = 0xF000, S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFREG = 0x8000, S_IFLNK = 0xA000;

    public ulong Device, Inode, LinkCount;
    public uint Mode, Uid, Gid;
    public ulong RawDevice;
    public long FileSize, BlockSize, Blocks;
    public long AccessSeconds, AccessNanoseconds, ModifySeconds, ModifyNanoseconds, ChangeSeconds, ChangeNanoseconds;
    /// <summary>Creation time, for statx (struct stat has no field for it); 0 when unknown.</summary>
    public long BirthSeconds, BirthNanoseconds;

    /// <summary>Writes struct stat's layout (asm/stat.h, x86_64) into 144 bytes.</summary>
    public readonly void Encode(Span<byte> b)
    {
        b.Slice(0, Size).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(0), Device);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), Inode);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), LinkCount);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(24), Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(28), Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(32), Gid);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(40), RawDevice);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(48), (ulong)FileSize);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(56), (ulong)BlockSize);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(64), (ulong)Blocks);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(72), (ulong)AccessSeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(80), (ulong)AccessNanoseconds);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(88), (ulong)ModifySeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(96), (ulong)ModifyNanoseconds);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(104), (ulong)ChangeSeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(112), (ulong)ChangeNanoseconds);
    }


}

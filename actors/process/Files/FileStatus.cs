// FileStatus: the fields of Linux's struct stat (x86_64, 144 bytes) and their
// encoding into user memory.
using System;

namespace Kevlar.Process.Files;

public struct FileStatus
{
    public const int Size = 144;
    public const uint S_IFMT = 0xF000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFREG = 0x8000, S_IFLNK = 0xA000;

    public ulong Device, Inode, LinkCount;
    public uint Mode, Uid, Gid;
    public ulong RawDevice;
    public long FileSize, BlockSize, Blocks;
    public long AccessSeconds, AccessNanoseconds, ModifySeconds, ModifyNanoseconds, ChangeSeconds, ChangeNanoseconds;

    /// <summary>Writes struct stat's layout (asm/stat.h, x86_64) into 144 bytes.</summary>
    public readonly void Encode(Span<byte> b)
    {
        b.Slice(0, Size).Clear();
        Put(b, 0, Device);
        Put(b, 8, Inode);
        Put(b, 16, LinkCount);
        Put32(b, 24, Mode);
        Put32(b, 28, Uid);
        Put32(b, 32, Gid);
        Put(b, 40, RawDevice);
        Put(b, 48, (ulong)FileSize);
        Put(b, 56, (ulong)BlockSize);
        Put(b, 64, (ulong)Blocks);
        Put(b, 72, (ulong)AccessSeconds);
        Put(b, 80, (ulong)AccessNanoseconds);
        Put(b, 88, (ulong)ModifySeconds);
        Put(b, 96, (ulong)ModifyNanoseconds);
        Put(b, 104, (ulong)ChangeSeconds);
        Put(b, 112, (ulong)ChangeNanoseconds);
    }

    private static void Put(Span<byte> b, int at, ulong v)
    {
        for (int i = 0; i < 8; i++) b[at + i] = (byte)(v >> (8 * i));
    }

    private static void Put32(Span<byte> b, int at, uint v)
    {
        for (int i = 0; i < 4; i++) b[at + i] = (byte)(v >> (8 * i));
    }
}

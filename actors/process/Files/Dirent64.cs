// Dirent64: struct linux_dirent64 as getdents64 writes it: u64 d_ino,
// s64 d_off, u16 d_reclen, u8 d_type, then the NUL-terminated name, padded
// to 8 bytes.
using System;
using Kevlar.Vfs;

namespace Kevlar.Process.Files;

public static class Dirent64
{
    public const byte DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;

    public static byte TypeOf(uint mode) => (byte)(FileType.Of(mode) >> 12);

    /// <summary>Writes one record; its length, or 0 when it does not fit.</summary>
    public static int Write(Span<byte> dest, ulong inode, long nextOffset, byte type, string name)
    {
        int length = (19 + name.Length + 1 + 7) & ~7;
        if (length > dest.Length) return 0;
        dest.Slice(0, length).Clear();
        for (int i = 0; i < 8; i++) dest[i] = (byte)(inode >> (8 * i));
        for (int i = 0; i < 8; i++) dest[8 + i] = (byte)((ulong)nextOffset >> (8 * i));
        dest[16] = (byte)length;
        dest[17] = (byte)(length >> 8);
        dest[18] = type;
        for (int i = 0; i < name.Length; i++) dest[19 + i] = (byte)name[i];
        return length;
    }
}

// CpioHeader: the fixed 110-byte part of a newc/crc member: a 6-byte magic
// then 13 fields of 8 ASCII hex digits (c_ino, c_mode, c_uid, c_gid,
// c_nlink, c_mtime, c_filesize, c_devmajor, c_devminor, c_rdevmajor,
// c_rdevminor, c_namesize, c_check), as Linux init/initramfs.c parse_header
// reads it.
using System;

namespace Kevlar.Vfs.Initramfs;

/// <summary>The 13 numeric fields of a header, and whether it is the crc variant.</summary>
internal sealed class CpioHeader
{
    /// <summary>Bytes in the fixed header.</summary>
    public const int Size = 110;
    private const int MagicLength = 6;
    private const int FieldCount = 13;

    public readonly uint[] Fields = new uint[FieldCount];
    public bool HasChecksum;

    public uint Ino => Fields[0];
    public uint Mode => Fields[1];
    public uint FileSize => Fields[6];
    public uint NameSize => Fields[11];
    public uint Check => Fields[12];

    /// <summary>Reads the header at the start of <paramref name="bytes"/> (at least 110 bytes): BadMagic, BadHex or None.</summary>
    public CpioError Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes[0] != (byte)'0' || bytes[1] != (byte)'7' || bytes[2] != (byte)'0' || bytes[3] != (byte)'7'
            || bytes[4] != (byte)'0' || (bytes[5] != (byte)'1' && bytes[5] != (byte)'2'))
            return CpioError.BadMagic;
        HasChecksum = bytes[5] == (byte)'2';
        for (int i = 0; i < FieldCount; i++)
        {
            if (!TryParseHex(bytes.Slice(MagicLength + 8 * i, 8), out uint value))
                return CpioError.BadHex;
            Fields[i] = value;
        }
        return CpioError.None;
    }

    /// <summary>Eight hex digits, either case, to a number.</summary>
    private static bool TryParseHex(ReadOnlySpan<byte> digits, out uint value)
    {
        value = 0;
        for (int i = 0; i < digits.Length; i++)
        {
            int d = HexValue(digits[i]);
            if (d < 0)
                return false;
            value = (value << 4) | (uint)d;
        }
        return true;
    }

    private static int HexValue(byte c)
    {
        if (c >= (byte)'0' && c <= (byte)'9')
            return c - '0';
        if (c >= (byte)'a' && c <= (byte)'f')
            return c - 'a' + 10;
        if (c >= (byte)'A' && c <= (byte)'F')
            return c - 'A' + 10;
        return -1;
    }
}

// WindowSize: struct winsize as TIOCGWINSZ/TIOCSWINSZ copy it
// (include/uapi/asm-generic/termios.h), 8 bytes, little endian:
//   +0 u16 ws_row   +2 u16 ws_col   +4 u16 ws_xpixel   +6 u16 ws_ypixel
// A new serial tty reports all zeros, as Linux does.
using System;
using System.Buffers.Binary;

namespace Kevlar.Vfs.Tty;

/// <summary>A terminal's size in characters and pixels.</summary>
public struct WindowSize : IEquatable<WindowSize>
{
    /// <summary>Size of struct winsize.</summary>
    public const int Size = 8;

    public ushort Rows;
    public ushort Columns;
    public ushort XPixels;
    public ushort YPixels;

    /// <summary>Writes the 8-byte form into <paramref name="dest"/> (at least <see cref="Size"/> bytes).</summary>
    public readonly void Encode(Span<byte> dest)
    {
        WriteUInt16(dest, 0, Rows);
        WriteUInt16(dest, 2, Columns);
        WriteUInt16(dest, 4, XPixels);
        WriteUInt16(dest, 6, YPixels);
    }

    /// <summary>Reads the 8-byte form; false when <paramref name="src"/> is shorter.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> src, out WindowSize size)
    {
        size = default;
        if (src.Length < Size) return false;
        size.Rows = BinaryPrimitives.ReadUInt16LittleEndian(src);
        size.Columns = BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(2));
        size.XPixels = BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(4));
        size.YPixels = BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(6));
        return true;
    }

    public readonly bool Equals(WindowSize other) =>
        Rows == other.Rows && Columns == other.Columns && XPixels == other.XPixels && YPixels == other.YPixels;

    private static void WriteUInt16(Span<byte> dest, int at, ushort value)
    {
        dest[at] = (byte)value;
        dest[at + 1] = (byte)(value >> 8);
    }
}

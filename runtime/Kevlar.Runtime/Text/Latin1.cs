// Latin1: the kernel's byte-string convention. Linux names (paths, argv,
// environment strings, cpio names) are byte strings with no encoding; the
// kernel keeps them in a string one byte per char (char == byte value,
// U+0000..U+00FF), so any byte sequence survives Decode then Encode unchanged.
using System;

namespace Kevlar.Runtime.Text;

/// <summary>Lossless conversion between byte strings and kernel strings.</summary>
public static class Latin1
{
    /// <summary>A string holding each byte of <paramref name="bytes"/> as one char.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
            return string.Empty;
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            chars[i] = (char)bytes[i];
        return new string(chars);
    }

    /// <summary>True when every char of <paramref name="text"/> fits in a byte.</summary>
    public static bool IsEncodable(string text)
    {
        for (int i = 0; i < text.Length; i++)
            if (text[i] > 0xFF)
                return false;
        return true;
    }

    /// <summary>
    /// The bytes of <paramref name="text"/>, one per char, or null when a char
    /// is above U+00FF (such a string did not come from bytes).
    /// </summary>
    public static byte[]? Encode(string text)
    {
        if (!IsEncodable(text))
            return null;
        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
            bytes[i] = (byte)text[i];
        return bytes;
    }
}

// Kernel corlib: System.Char (char). Operators are intrinsic; equality, hashing,
// ordering and the classification helpers match .NET's (IsWhiteSpace covers
// all of Unicode's white space; the Unicode category tests are absent).
using System.Diagnostics.CodeAnalysis;

namespace System;

public readonly struct Char : IComparable, IComparable<char>, IEquatable<char>
{
    private readonly char m_value;

    public const char MinValue = '\0';
    public const char MaxValue = '\uffff';

    public int CompareTo(char value) => m_value - value;

    public int CompareTo(object? value)
    {
        if (value is char other) return CompareTo(other);
        if (value is not null) ThrowHelper.ThrowArgument("object must be of type Char");
        return 1;
    }

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is char other && m_value == other;

    public bool Equals(char obj) => m_value == obj;

    public override int GetHashCode() => m_value | (m_value << 16);

    public override string ToString() => ToString(m_value);

    public static string ToString(char c) => new string(c, 1);

    /// <summary>Unicode White_Space: the C0 spacing controls, NEL, and the Zs, Zl and Zp categories.</summary>
    public static bool IsWhiteSpace(char c)
    {
        if (c <= '\u00FF') return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u0085' || c == '\u00A0';
        return c == '\u1680' || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029'
            || c == '\u202F' || c == '\u205F' || c == '\u3000';
    }

    public static bool IsAscii(char c) => c <= '\u007F';
    public static bool IsAsciiDigit(char c) => (uint)(c - '0') <= 9;
    public static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';
    public static bool IsAsciiLetterLower(char c) => (uint)(c - 'a') <= 'z' - 'a';
    public static bool IsAsciiLetterUpper(char c) => (uint)(c - 'A') <= 'Z' - 'A';
    public static bool IsAsciiLetterOrDigit(char c) => IsAsciiLetter(c) || IsAsciiDigit(c);
    public static bool IsAsciiHexDigit(char c) => IsAsciiDigit(c) || (uint)((c | 0x20) - 'a') <= 'f' - 'a';
}

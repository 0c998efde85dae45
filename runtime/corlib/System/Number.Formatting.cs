// Kernel corlib: integer formatting for the primitives' ToString and
// StringBuilder.Append, invariant culture. Standard formats only: "G"/"g" (or
// null/empty) and "D"/"d" for decimal, "X"/"x" for hex, each with an optional
// precision ("D5", "x8"). Hex of a negative number is its two's complement at
// the type's width, as in .NET. Anything else (custom patterns, "N", "E", a
// "G" precision that would need scientific notation) is a kernel bug, as it
// would be a FormatException or a culture-dependent result in .NET.
namespace System;

internal static partial class Number
{
    /// <summary>One parsed standard format: a kind ('D' or 'X' or 'x') and a minimum digit count.</summary>
    private readonly struct Spec
    {
        public readonly char Kind;
        public readonly int MinDigits;
        public readonly int MaxGeneralDigits;
        public Spec(char kind, int minDigits, int maxGeneralDigits) { Kind = kind; MinDigits = minDigits; MaxGeneralDigits = maxGeneralDigits; }
    }

    private const int MaxPrecision = 999_999_999;

    private static Spec Parse(string? format)
    {
        if (format is null || format.Length == 0) return new Spec('D', 1, 0);
        char kind = format[0];
        int precision = -1;
        if (format.Length > 1)
        {
            precision = 0;
            for (int i = 1; i < format.Length; i++)
            {
                char c = format[i];
                if (c < '0' || c > '9' || precision > MaxPrecision / 10) ThrowHelper.ThrowFormat(format);
                precision = precision * 10 + (c - '0');
            }
        }
        switch (kind)
        {
            case 'G': case 'g': return new Spec('D', 1, precision);
            case 'D': case 'd': return new Spec('D', precision < 1 ? 1 : precision, 0);
            case 'X': case 'x': return new Spec(kind, precision < 1 ? 1 : precision, 0);
        }
        ThrowHelper.ThrowNotSupported(format);
        return default;
    }

    /// <summary>Formats a signed value held in <paramref name="byteWidth"/> bytes.</summary>
    internal static string FormatSigned(long value, string? format, int byteWidth)
    {
        Spec spec = Parse(format);
        if (spec.Kind != 'D') return Hex((ulong)value & WidthMask(byteWidth), spec);
        ulong magnitude = Magnitude(value, out bool negative);
        return Decimal(magnitude, negative, spec);
    }

    /// <summary>Formats an unsigned value held in <paramref name="byteWidth"/> bytes.</summary>
    internal static string FormatUnsigned(ulong value, string? format, int byteWidth)
    {
        Spec spec = Parse(format);
        return spec.Kind == 'D' ? Decimal(value, false, spec) : Hex(value & WidthMask(byteWidth), spec);
    }

    private static ulong WidthMask(int byteWidth) => byteWidth >= 8 ? ulong.MaxValue : (1UL << (8 * byteWidth)) - 1;

    private static string Decimal(ulong magnitude, bool negative, Spec spec)
    {
        int digits = CountDecimalDigits(magnitude);
        if (spec.MaxGeneralDigits > 0 && digits > spec.MaxGeneralDigits)
            ThrowHelper.ThrowNotSupported("a \"G\" precision that needs scientific notation");
        if (digits < spec.MinDigits) digits = spec.MinDigits;
        string result = string.FastAllocateString(digits + (negative ? 1 : 0));
        WriteDecimal(result.RawChars(), magnitude, negative, digits);
        return result;
    }

    private static string Hex(ulong bits, Spec spec)
    {
        int digits = CountHexDigits(bits);
        if (digits < spec.MinDigits) digits = spec.MinDigits;
        string result = string.FastAllocateString(digits);
        WriteHex(result.RawChars(), bits, digits, spec.Kind == 'X');
        return result;
    }

    internal static int CountDecimalDigits(ulong value)
    {
        int n = 1;
        while (value >= 10) { value /= 10; n++; }
        return n;
    }

    internal static int CountHexDigits(ulong value)
    {
        int n = 1;
        while (value >= 16) { value >>= 4; n++; }
        return n;
    }

    /// <summary>Writes an optional '-' then exactly <paramref name="digits"/> decimal digits (zero-padded) into the start of dest.</summary>
    internal static int WriteDecimal(Span<char> dest, ulong magnitude, bool negative, int digits)
    {
        int length = digits + (negative ? 1 : 0);
        if (negative) dest[0] = '-';
        for (int i = length - 1; i >= length - digits; i--)
        {
            dest[i] = (char)('0' + (int)(magnitude % 10));
            magnitude /= 10;
        }
        return length;
    }

    /// <summary>Writes exactly <paramref name="digits"/> hex digits (zero-padded) into the start of dest.</summary>
    internal static int WriteHex(Span<char> dest, ulong bits, int digits, bool upper)
    {
        int letter = (upper ? 'A' : 'a') - 10;
        for (int i = digits - 1; i >= 0; i--)
        {
            int nibble = (int)(bits & 0xF);
            dest[i] = (char)(nibble < 10 ? '0' + nibble : letter + nibble);
            bits >>= 4;
        }
        return digits;
    }

    /// <summary>The magnitude of a signed value (long.MinValue included) and whether it is negative.</summary>
    internal static ulong Magnitude(long value, out bool negative)
    {
        negative = value < 0;
        return negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
    }
}

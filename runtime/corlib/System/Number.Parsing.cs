// Kernel corlib: integer parsing for the primitives' TryParse(string, out),
// which in .NET is NumberStyles.Integer with the current culture; the kernel
// is invariant. Accepted: leading and trailing white space (U+0009-U+000D,
// U+0020), one optional '+' or '-', at least one decimal digit, and trailing
// NUL characters after everything else. Overflow and bad syntax both return
// false with a zero result; "-0" is a valid unsigned zero, as in .NET.
namespace System;

internal static partial class Number
{
    private static bool IsIntegerWhite(char c) => c == ' ' || (c >= '\t' && c <= '\r');

    /// <summary>Parses s as a decimal integer in [-negativeLimit, positiveLimit].</summary>
    internal static bool TryParseInteger(string? s, ulong negativeLimit, ulong positiveLimit, out ulong magnitude, out bool negative)
    {
        magnitude = 0;
        negative = false;
        if (s is null) return false;
        int i = 0, end = s.Length;
        while (i < end && IsIntegerWhite(s[i])) i++;
        if (i < end && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
        int firstDigit = i;
        ulong value = 0;
        bool overflow = false;
        for (; i < end && s[i] >= '0' && s[i] <= '9'; i++)
        {
            ulong digit = (ulong)(s[i] - '0');
            if (value > (ulong.MaxValue - digit) / 10) overflow = true;
            else value = value * 10 + digit;
        }
        if (i == firstDigit) return false;
        while (i < end && IsIntegerWhite(s[i])) i++;
        for (; i < end; i++)
            if (s[i] != '\0') return false;
        if (overflow || value > (negative ? negativeLimit : positiveLimit)) return false;
        magnitude = value;
        return true;
    }

    internal static bool TryParseSigned(string? s, long min, long max, out long result)
    {
        bool ok = TryParseInteger(s, Magnitude(min, out _), (ulong)max, out ulong magnitude, out bool negative);
        result = !ok ? 0 : negative ? (long)(0UL - magnitude) : (long)magnitude;
        return ok;
    }

    internal static bool TryParseUnsigned(string? s, ulong max, out ulong result)
    {
        bool ok = TryParseInteger(s, 0, max, out ulong magnitude, out _);
        result = ok ? magnitude : 0;
        return ok;
    }
}

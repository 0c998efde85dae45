// NumberText: decimal and hex text of integers for kernel messages, the same
// on the host and on metal (where formatting through object.ToString would box).
namespace Kevlar.Runtime.Text;

public static class NumberText
{
    public static string Decimal(long value)
    {
        if (value == long.MinValue) return "-9223372036854775808";
        var buf = new char[20];
        int n = buf.Length;
        bool negative = value < 0;
        ulong v = negative ? (ulong)(-value) : (ulong)value;
        do { buf[--n] = (char)('0' + (int)(v % 10)); v /= 10; } while (v != 0);
        if (negative) buf[--n] = '-';
        return new string(new System.ReadOnlySpan<char>(buf, n, buf.Length - n));
    }

    /// <summary>Digits of <paramref name="value"/> in base <paramref name="radix"/> (8 or 16, lower
    /// case, no prefix), zero-padded to at least <paramref name="minDigits"/>: printf's %0No / %0Nlx.</summary>
    public static string Digits(ulong value, int radix, int minDigits)
    {
        var buf = new char[22 > minDigits ? 22 : minDigits];
        int n = buf.Length;
        int shift = radix == 8 ? 3 : 4;
        ulong mask = (ulong)radix - 1;
        do { int d = (int)(value & mask); buf[--n] = (char)(d < 10 ? '0' + d : 'a' + d - 10); value >>= shift; } while (value != 0);
        while (buf.Length - n < minDigits) buf[--n] = '0';
        return new string(new System.ReadOnlySpan<char>(buf, n, buf.Length - n));
    }

    /// <summary>Lower-case hex with a 0x prefix.</summary>
    public static string Hex(ulong value)
    {
        var buf = new char[18];
        int n = buf.Length;
        do { int d = (int)(value & 0xF); buf[--n] = (char)(d < 10 ? '0' + d : 'a' + d - 10); value >>= 4; } while (value != 0);
        buf[--n] = 'x';
        buf[--n] = '0';
        return new string(new System.ReadOnlySpan<char>(buf, n, buf.Length - n));
    }
}

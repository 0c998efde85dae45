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

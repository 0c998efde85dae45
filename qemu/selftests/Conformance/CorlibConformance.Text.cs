// Conformance: string equality and searches (ordinal), making strings,
// integer formatting and parsing (invariant), and StringBuilder.
using System;
using System.Text;

namespace Kevlar.SelfTests.Conformance;

public static partial class CorlibConformance
{
    private static void Strings(Output o)
    {
        string ab = string.Concat("a", "b"), empty = new string('x', 0);
        o.Line("str.equals ==", "ab" == ab);
        o.Line("str.equals !=", "ab" != "abc");
        o.Line("str.equals instance", "ab".Equals(ab));
        o.Line("str.equals instance-null", "ab".Equals((string?)null));
        o.Line("str.equals static-nulls", string.Equals(null, null));
        o.Line("str.equals ordinal", string.Equals("ab", ab, StringComparison.Ordinal));
        o.Line("str.equals empty", empty == string.Empty);
        o.Check("str.hash alike", "ab".GetHashCode() == ab.GetHashCode());
        o.Check("str.hash empty", empty.GetHashCode() == "".GetHashCode());
        o.Check("str.hash long-alike", new string('q', 1000).GetHashCode() == new string('q', 1000).GetHashCode());
        o.Line("str.isnullorempty", string.IsNullOrEmpty(null) && string.IsNullOrEmpty("") && !string.IsNullOrEmpty(" "));
        string text = "hello, kernel world";
        o.Line("str.startswith", text.StartsWith("hello"));
        o.Line("str.startswith no", text.StartsWith("world"));
        o.Line("str.startswith empty", text.StartsWith(""));
        o.Line("str.startswith longer", "he".StartsWith("hello"));
        o.Line("str.startswith ordinal", text.StartsWith("hello,", StringComparison.Ordinal));
        o.Line("str.startswith char", text.StartsWith('h'));
        o.Line("str.endswith", text.EndsWith("world"));
        o.Line("str.endswith no", text.EndsWith("hello"));
        o.Line("str.endswith char", text.EndsWith('d'));
        o.Line("str.indexof char", text.IndexOf('o'));
        o.Line("str.indexof char-from", text.IndexOf('o', 5));
        o.Line("str.indexof char-missing", text.IndexOf('z'));
        o.Line("str.lastindexof char", text.LastIndexOf('o'));
        o.Line("str.indexof string", text.IndexOf("kernel"));
        o.Line("str.indexof string-missing", text.IndexOf("kernal"));
        o.Line("str.indexof string-empty", text.IndexOf(""));
        o.Line("str.indexof string-ordinal", text.IndexOf("world", StringComparison.Ordinal));
        o.Line("str.indexof string-overlap", "aaab".IndexOf("aab"));
        o.Line("str.contains", text.Contains("nel w") && text.Contains(',') && !text.Contains("Kernel"));
        o.Line("str.substring from", text.Substring(7));
        o.Line("str.substring range", text.Substring(7, 6));
        o.Line("str.substring end", Escape(text.Substring(text.Length)));
        o.Line("str.substring whole", object.ReferenceEquals(text.Substring(0), text));
        o.Line("str.compareordinal", Sign(string.CompareOrdinal("abc", "abd")));
        o.Line("str.compareordinal prefix", Sign(string.CompareOrdinal("ab", "abc")));
        o.Line("str.compareordinal null", Sign(string.CompareOrdinal(null, "a")));
        o.Line("str.compare ordinal", Sign(string.Compare("b", "a", StringComparison.Ordinal)));
        Splits(o);
        MakingStrings(o);
    }

    private static void Splits(Output o)
    {
        o.Line("str.split", Join("a,b,,c,".Split(',')));
        o.Line("str.split none", Join("abc".Split(',')));
        o.Line("str.split empty", Join("".Split(',')));
        o.Line("str.split remove-empty", Join("a,b,,c,".Split(',', StringSplitOptions.RemoveEmptyEntries)));
        o.Line("str.split trim", Join(" a , b ,, c ".Split(',', StringSplitOptions.TrimEntries)));
        o.Line("str.split trim-remove", Join(" a , ,b".Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
        o.Line("str.split only-separators", Join(",,".Split(',')));
    }

    private static void MakingStrings(Output o)
    {
        char[] letters = { 'k', 'e', 'r', 'n', 'e', 'l' };
        o.Line("str.new array", new string(letters));
        o.Line("str.new range", new string(letters, 1, 3));
        o.Line("str.new span", new string(new ReadOnlySpan<char>(letters, 2, 4)));
        o.Line("str.new repeat", new string('=', 5));
        o.Line("str.new empty-span", Escape(new string(ReadOnlySpan<char>.Empty)));
        string middle = new string('m', 2);
        o.Line("str.concat 5", "a" + middle + "c" + middle + "e");
        string[] many = { "one", null!, "two", "", "three" };
        o.Line("str.concat array", string.Concat(many));
        int n = 42;
        o.Line("str.plus int", "n=" + n);
        o.Line("str.plus char", "c=" + 'x');
        o.Line("str.plus bool", "b=" + true);
        o.Line("str.trim", Escape(" \t\n x y \r\u00a0\u2003".Trim()));
        o.Line("str.trimstart", Escape("  x  ".TrimStart()));
        o.Line("str.trimend", Escape("  x  ".TrimEnd()));
        o.Line("str.trim all-space", Escape("   ".Trim()));
        o.Line("str.char tostring", 'q'.ToString());
        o.Line("str.bool tostring", string.Concat(true.ToString(), false.ToString()));
        string white = "";
        for (int c = 0; c < 0x3100; c++)
            if (char.IsWhiteSpace((char)c)) white = string.Concat(white, ((char)c).ToString());
        o.Line("char.iswhitespace", Escape(white));
        o.Line("char.isasciidigit", char.IsAsciiDigit('7') && !char.IsAsciiDigit('a') && !char.IsAsciiDigit('\u0663'));
        o.Line("char.isasciiletter", char.IsAsciiLetter('Q') && char.IsAsciiLetter('q') && !char.IsAsciiLetter('@') && !char.IsAsciiLetter('['));
        o.Line("char.isasciihexdigit", char.IsAsciiHexDigit('f') && char.IsAsciiHexDigit('F') && !char.IsAsciiHexDigit('g'));
    }

    private static void Formatting(Output o)
    {
        string[] formats = { "", "G", "D", "d", "D5", "d10", "X", "x", "x8", "X2", "x0", "D0" };
        int[] ints = { 0, 7, -7, 42, 255, -1, 123456, int.MinValue, int.MaxValue };
        foreach (int v in ints)
        {
            var b = new StringBuilder();
            b.Append(v.ToString());
            foreach (string f in formats) b.Append(' ').Append(v.ToString(f));
            o.Line(string.Concat("fmt.int ", v.ToString()), b.ToString());
        }
        long[] longs = { 0, -1, 1L << 40, -(1L << 40), long.MinValue, long.MaxValue };
        foreach (long v in longs)
            o.Line(string.Concat("fmt.long ", v.ToString()), string.Concat(v.ToString("D20"), " ", v.ToString("x"), " ", v.ToString("X17")));
        uint[] uints = { 0, 3000000000, uint.MaxValue };
        foreach (uint v in uints)
            o.Line(string.Concat("fmt.uint ", v.ToString()), string.Concat(v.ToString("D12"), " ", v.ToString("x"), " ", v.ToString("X9")));
        ulong[] ulongs = { 0, 10000000000000000000, ulong.MaxValue };
        foreach (ulong v in ulongs)
            o.Line(string.Concat("fmt.ulong ", v.ToString()), string.Concat(v.ToString("D21"), " ", v.ToString("x"), " ", v.ToString("X")));
        o.Line("fmt.byte", string.Concat(((byte)200).ToString(), " ", ((byte)200).ToString("x"), " ", ((byte)10).ToString("X4")));
        o.Line("fmt.sbyte", string.Concat(((sbyte)-1).ToString(), " ", ((sbyte)-1).ToString("x"), " ", sbyte.MinValue.ToString("D4")));
        o.Line("fmt.short", string.Concat(((short)-1).ToString(), " ", ((short)-1).ToString("X"), " ", short.MinValue.ToString()));
        o.Line("fmt.ushort", string.Concat(ushort.MaxValue.ToString(), " ", ((ushort)0xbeef).ToString("x"), " ", ((ushort)1).ToString("D3")));
        o.Line("fmt.nint", string.Concat(((nint)(-12)).ToString(), " ", nint.MinValue.ToString()));
        o.Line("fmt.nuint", ((nuint)12345).ToString());
        o.Line("fmt.int null-format", 42.ToString((string?)null));
        o.Line("fmt.int g-precision", 42.ToString("G5"));
    }

    private static void Parsing(Output o)
    {
        string?[] inputs =
        {
            "0", "42", "-42", "+42", " 42 ", "\t42\n", "42\0", "42\0\0", "42 \0", "42\0 ", "", " ", "-", "+", "+-1",
            "4 2", "42a", "0x10", "1e3", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "00000000000000000000000042", "99999999999999999999", "-0", "\u0663", "\u00a042", "\u221242", null,
        };
        foreach (string? s in inputs)
        {
            bool ok = int.TryParse(s, out int v);
            o.Line(string.Concat("parse.int ", Escape(s)), string.Concat(ok ? "True " : "False ", v.ToString()));
        }
        string[] longInputs = { "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", " -5 ", "4294967296" };
        foreach (string s in longInputs)
        {
            bool ok = long.TryParse(s, out long v);
            o.Line(string.Concat("parse.long ", Escape(s)), string.Concat(ok ? "True " : "False ", v.ToString()));
        }
        string[] ulongInputs = { "18446744073709551615", "18446744073709551616", "-0", "-1", "+5", " 7\0", "0000018446744073709551615" };
        foreach (string s in ulongInputs)
        {
            bool ok = ulong.TryParse(s, out ulong v);
            o.Line(string.Concat("parse.ulong ", Escape(s)), string.Concat(ok ? "True " : "False ", v.ToString()));
        }
        bool u1 = uint.TryParse("4294967295", out uint uv), u2 = uint.TryParse("4294967296", out _);
        o.Line("parse.uint", string.Concat(u1.ToString(), " ", uv.ToString(), " ", u2.ToString()));
        bool b1 = byte.TryParse("255", out byte bv), b2 = byte.TryParse("256", out _), b3 = byte.TryParse("-0", out _);
        o.Line("parse.byte", string.Concat(b1.ToString(), " ", bv.ToString(), " ", string.Concat(b2.ToString(), " ", b3.ToString())));
        bool s1 = sbyte.TryParse("-128", out sbyte sv), s2 = sbyte.TryParse("-129", out _);
        o.Line("parse.sbyte", string.Concat(s1.ToString(), " ", sv.ToString(), " ", s2.ToString()));
        bool h1 = short.TryParse("-32768", out short hv), h2 = ushort.TryParse("65536", out _);
        o.Line("parse.short", string.Concat(h1.ToString(), " ", hv.ToString(), " ", h2.ToString()));
    }

    private static void Builders(Output o)
    {
        var b = new StringBuilder();
        b.Append("abc").Append('d').Append(42).Append(-7L).Append(4000000000u).Append(ulong.MaxValue);
        b.Append('x', 3).Append(true).Append((string?)null).Append("").Append(int.MinValue).Append(long.MinValue);
        o.Line("sb.append", b.ToString());
        o.Line("sb.length", b.Length);
        o.Line("sb.index", b[3].ToString());
        b[0] = 'A';
        o.Line("sb.set-index", b.ToString(0, 4));
        b.Length = 2;
        o.Line("sb.truncate", b.ToString());
        b.Length = 4;
        o.Line("sb.extend", Escape(b.ToString()));
        b.Clear();
        o.Line("sb.clear", string.Concat(b.Length.ToString(), Escape(b.ToString())));
        b.Append("again").AppendLine().AppendLine("line");
        o.Line("sb.appendline", Escape(b.ToString()));
        var big = new StringBuilder();
        for (int i = 0; i < 2000; i++) big.Append(i).Append(',');
        string all = big.ToString();
        o.Line("sb.big length", all.Length);
        o.Line("sb.big fingerprint", Fingerprint(all));
        o.Line("sb.big tail", all.Substring(all.Length - 15));
        var repeat = new StringBuilder("start:");
        repeat.Append('-', 100).Append('+', 0);
        o.Line("sb.repeat", string.Concat(repeat.Length.ToString(), " ", repeat.ToString(0, 10)));
        o.Line("sb.span", new StringBuilder().Append(new ReadOnlySpan<char>(new char[] { 'o', 'k' })).ToString());
    }
}

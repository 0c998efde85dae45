// Kernel corlib: making strings: the constructors (the compiler turns
// `new string(...)` into a call of the matching static Ctor below), Concat,
// Substring, Split and Trim.
using System.Runtime.CompilerServices;

namespace System;

public sealed partial class String
{
    public String(ReadOnlySpan<char> value) { }
    public String(char[] value) { }
    public String(char[] value, int startIndex, int length) { }
    public String(char c, int count) { }

    private static string Ctor(char[] value) => Ctor(new ReadOnlySpan<char>(value));

    private static string Ctor(char[] value, int startIndex, int length) => Ctor(new ReadOnlySpan<char>(value, startIndex, length));

    private static string Ctor(ReadOnlySpan<char> value)
    {
        if (value.Length == 0) return Empty;
        string s = FastAllocateString(value.Length);
        value.CopyTo(s.RawChars());
        return s;
    }

    private static string Ctor(char c, int count)
    {
        if (count < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(count));
        if (count == 0) return Empty;
        string s = FastAllocateString(count);
        s.RawChars().Fill(c);
        return s;
    }

    public static string Concat(string? str0, string? str1) => ConcatAll(str0, str1, null, null);
    public static string Concat(string? str0, string? str1, string? str2) => ConcatAll(str0, str1, str2, null);
    public static string Concat(string? str0, string? str1, string? str2, string? str3) => ConcatAll(str0, str1, str2, str3);

    public static string Concat(params string?[] values)
    {
        if (values is null) ThrowHelper.ThrowArgumentNull(nameof(values));
        int length = 0;
        for (int i = 0; i < values.Length; i++) length += LengthOf(values[i]);
        string result = FastAllocateString(length);
        int at = 0;
        for (int i = 0; i < values.Length; i++) at = CopyInto(result, at, values[i]);
        return result;
    }

    private static string ConcatAll(string? a, string? b, string? c, string? d)
    {
        string result = FastAllocateString(LengthOf(a) + LengthOf(b) + LengthOf(c) + LengthOf(d));
        int at = CopyInto(result, 0, a);
        at = CopyInto(result, at, b);
        at = CopyInto(result, at, c);
        CopyInto(result, at, d);
        return result;
    }

    private static int LengthOf(string? s) => s is null ? 0 : s._stringLength;

    private static int CopyInto(string dest, int at, string? s)
    {
        if (s is null) return at;
        s.AsReadOnlySpan().CopyTo(dest.RawChars().Slice(at));
        return at + s._stringLength;
    }

    public string Substring(int startIndex) => Substring(startIndex, _stringLength - startIndex);

    public string Substring(int startIndex, int length)
    {
        if ((uint)startIndex > (uint)_stringLength) ThrowHelper.ThrowArgumentOutOfRange(nameof(startIndex));
        if ((uint)length > (uint)(_stringLength - startIndex)) ThrowHelper.ThrowArgumentOutOfRange(nameof(length));
        if (length == _stringLength) return this;
        return Ctor(AsReadOnlySpan().Slice(startIndex, length));
    }

    public string[] Split(char separator, StringSplitOptions options = StringSplitOptions.None)
    {
        if ((uint)options > (uint)(StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            ThrowHelper.ThrowArgument(nameof(options));
        int pieces = 1;
        for (int i = 0; i < _stringLength; i++)
            if (this[i] == separator) pieces++;
        string[] parts = new string[pieces];
        int count = 0, start = 0;
        for (int i = 0; i <= _stringLength; i++)
        {
            if (i < _stringLength && this[i] != separator) continue;
            string part = Substring(start, i - start);
            if ((options & StringSplitOptions.TrimEntries) != 0) part = part.Trim();
            if (part.Length != 0 || (options & StringSplitOptions.RemoveEmptyEntries) == 0) parts[count++] = part;
            start = i + 1;
        }
        if (count == pieces) return parts;
        string[] kept = new string[count];
        Array.Copy(parts, 0, kept, 0, count);
        return kept;
    }

    /// <summary>Removes leading and trailing white space (char.IsWhiteSpace).</summary>
    public string Trim() => TrimWhiteSpace(true, true);
    public string TrimStart() => TrimWhiteSpace(true, false);
    public string TrimEnd() => TrimWhiteSpace(false, true);

    private string TrimWhiteSpace(bool start, bool end)
    {
        int first = 0, last = _stringLength - 1;
        if (start) while (first <= last && char.IsWhiteSpace(this[first])) first++;
        if (end) while (last >= first && char.IsWhiteSpace(this[last])) last--;
        return Substring(first, last - first + 1);
    }
}

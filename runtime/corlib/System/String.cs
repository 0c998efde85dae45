// Kernel corlib: System.String. Layout (compiler contract): MethodTable
// pointer, int length, then UTF-16 chars with a terminating NUL.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System;

public sealed unsafe class String
{
#pragma warning disable 169, 649
    // Compiler contract: length then the first char.
    private int _stringLength;
    private char _firstChar;
#pragma warning restore 169, 649

    [Intrinsic]
    public static readonly string Empty = "";

    public int Length => _stringLength;

    [IndexerName("Chars")]
    public char this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_stringLength)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
            fixed (char* p = &_firstChar)
                return p[index];
        }
    }

    public static bool operator ==(string? a, string? b) => Equals(a, b);
    public static bool operator !=(string? a, string? b) => !Equals(a, b);

    public override bool Equals(object? o) => o is string s && Equals(this, s);

    public static bool Equals(string? a, string? b)
    {
        if ((object?)a == (object?)b) return true;
        if (a is null || b is null || a._stringLength != b._stringLength) return false;
        for (int i = 0; i < a._stringLength; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

    public override int GetHashCode()
    {
        int h = 5381;
        for (int i = 0; i < _stringLength; i++)
            h = (h * 33) ^ this[i];
        return h;
    }

    public override string ToString() => this;

    public static string Concat(string? a, string? b) => ConcatAll(a, b, null, null);
    public static string Concat(string? a, string? b, string? c) => ConcatAll(a, b, c, null);
    public static string Concat(string? a, string? b, string? c, string? d) => ConcatAll(a, b, c, d);

    private static string ConcatAll(string? a, string? b, string? c, string? d)
    {
        int length = LengthOf(a) + LengthOf(b) + LengthOf(c) + LengthOf(d);
        string result = FastAllocateString(length);
        int at = 0;
        at = CopyInto(result, at, a);
        at = CopyInto(result, at, b);
        at = CopyInto(result, at, c);
        CopyInto(result, at, d);
        return result;
    }

    private static int LengthOf(string? s) => s is null ? 0 : s._stringLength;

    private static int CopyInto(string dest, int at, string? s)
    {
        if (s is null) return at;
        fixed (char* d = &dest._firstChar)
        fixed (char* src = &s._firstChar)
            for (int i = 0; i < s._stringLength; i++)
                d[at + i] = src[i];
        return at + s._stringLength;
    }

    /// <summary>Makes a string from UTF-16 chars (the compiler turns these constructors into the Ctor methods below).</summary>
    public String(ReadOnlySpan<char> value) { }
    public String(char[] value) { }

    private static string Ctor(char[] value) => Ctor(new ReadOnlySpan<char>(value));

    /// <summary>Allocates a zeroed string of the given length.</summary>
    internal static string FastAllocateString(int length)
    {
        // Safety: "" is a frozen literal; its first word is string's MethodTable.
        object empty = Empty;
        IntPtr mt = *(IntPtr*)Unsafe.As<object, IntPtr>(ref empty);
        return Unsafe.As<string>(RuntimeImports.RhpNewArray(mt, length));
    }

    private static string Ctor(ReadOnlySpan<char> value)
    {
        string s = FastAllocateString(value.Length);
        fixed (char* d = &s._firstChar)
            for (int i = 0; i < value.Length; i++)
                d[i] = value[i];
        return s;
    }
}

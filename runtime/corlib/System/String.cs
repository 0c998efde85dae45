// Kernel corlib: System.String. Layout (compiler contract): MethodTable
// pointer, int length, then UTF-16 chars with a terminating NUL. The rest of
// the type lives in String.*.cs: comparison, searching, and making strings.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System;

// Safety: indexes within the string's own length-checked chars; allocation goes through the runtime's array helper.
public sealed unsafe partial class String : IEquatable<string>
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
            return Unsafe.Add(ref _firstChar, index);
        }
    }

    public override string ToString() => this;

    public static bool IsNullOrEmpty([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? value)
        => value is null || value._stringLength == 0;

    /// <summary>The chars of this string as a writable span: only for a string that is still being built.</summary>
    internal Span<char> RawChars() => new Span<char>(ref _firstChar, _stringLength);

    internal ReadOnlySpan<char> AsReadOnlySpan() => new ReadOnlySpan<char>(ref _firstChar, _stringLength);

    public static implicit operator ReadOnlySpan<char>(string? value)
        => value is null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);

    /// <summary>Allocates a zeroed string of the given length.</summary>
    internal static string FastAllocateString(int length)
    {
        // Safety: "" is a frozen literal; its first word is string's MethodTable.
        object empty = Empty;
        IntPtr mt = *(IntPtr*)Unsafe.As<object, IntPtr>(ref empty);
        return Unsafe.As<string>(RuntimeImports.RhpNewArray(mt, length));
    }
}

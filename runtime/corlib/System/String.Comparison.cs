// Kernel corlib: System.String equality, ordering and hashing, all ordinal
// (UTF-16 code unit by code unit). The kernel has no culture data: the
// StringComparison overloads accept Ordinal only.
using System.Runtime.CompilerServices;

namespace System;

public sealed partial class String
{
    public static bool operator ==(string? a, string? b) => Equals(a, b);
    public static bool operator !=(string? a, string? b) => !Equals(a, b);

    public override bool Equals(object? obj) => obj is string s && Equals(this, s);

    public bool Equals(string? value) => Equals(this, value);

    public bool Equals(string? value, StringComparison comparisonType)
    {
        CheckOrdinal(comparisonType);
        return Equals(this, value);
    }

    public static bool Equals(string? a, string? b)
    {
        if ((object?)a == (object?)b) return true;
        if (a is null || b is null || a._stringLength != b._stringLength) return false;
        return SpanHelpers.SequenceEqual(ref Unsafe.As<char, byte>(ref a._firstChar), ref Unsafe.As<char, byte>(ref b._firstChar), (nuint)a._stringLength * 2);
    }

    public static bool Equals(string? a, string? b, StringComparison comparisonType)
    {
        CheckOrdinal(comparisonType);
        return Equals(a, b);
    }

    /// <summary>FNV-1a over the UTF-16 code units. Not randomised per boot, unlike .NET's
    /// (so callers must not print it or rely on its value, only on equal strings hashing equal).</summary>
    public override int GetHashCode()
    {
        uint h = 2166136261;
        for (int i = 0; i < _stringLength; i++)
            h = (h ^ Unsafe.Add(ref _firstChar, i)) * 16777619;
        return (int)h;
    }

    /// <summary>Negative, zero or positive as strA sorts before, with or after strB by code unit; null sorts first.</summary>
    public static int CompareOrdinal(string? strA, string? strB)
    {
        if ((object?)strA == (object?)strB) return 0;
        if (strA is null) return -1;
        if (strB is null) return 1;
        int common = strA._stringLength < strB._stringLength ? strA._stringLength : strB._stringLength;
        for (int i = 0; i < common; i++)
        {
            int diff = strA[i] - strB[i];
            if (diff != 0) return diff;
        }
        return strA._stringLength - strB._stringLength;
    }

    public static int Compare(string? strA, string? strB, StringComparison comparisonType)
    {
        CheckOrdinal(comparisonType);
        return CompareOrdinal(strA, strB);
    }

    private static void CheckOrdinal(StringComparison comparisonType)
    {
        if (comparisonType != StringComparison.Ordinal)
            ThrowHelper.ThrowNotSupported("culture-sensitive or case-insensitive string comparison");
    }
}

// Kernel corlib: System.String searches, ordinal. .NET's StartsWith(string),
// EndsWith(string) and IndexOf(string) without a StringComparison use the
// current culture; here they are ordinal, which agrees with .NET for text
// without culture-ignorable characters (see docs/portable-csharp.md). Portable
// code should pass StringComparison.Ordinal, which means the same everywhere.
namespace System;

public sealed partial class String
{
    public bool Contains(char value) => IndexOf(value) >= 0;

    public bool Contains(string value) => IndexOf(value, StringComparison.Ordinal) >= 0;

    public int IndexOf(char value) => IndexOf(value, 0);

    public int IndexOf(char value, int startIndex)
    {
        if ((uint)startIndex > (uint)_stringLength) ThrowHelper.ThrowArgumentOutOfRange(nameof(startIndex));
        for (int i = startIndex; i < _stringLength; i++)
            if (this[i] == value) return i;
        return -1;
    }

    public int LastIndexOf(char value)
    {
        for (int i = _stringLength - 1; i >= 0; i--)
            if (this[i] == value) return i;
        return -1;
    }

    public int IndexOf(string value) => IndexOf(value, StringComparison.Ordinal);

    public int IndexOf(string value, StringComparison comparisonType)
    {
        CheckOrdinal(comparisonType);
        if (value is null) ThrowHelper.ThrowArgumentNull(nameof(value));
        for (int i = 0; i + value._stringLength <= _stringLength; i++)
            if (MatchesAt(i, value)) return i;
        return -1;
    }

    public bool StartsWith(char value) => _stringLength != 0 && this[0] == value;

    public bool EndsWith(char value) => _stringLength != 0 && this[_stringLength - 1] == value;

    public bool StartsWith(string value) => StartsWith(value, StringComparison.Ordinal);

    public bool StartsWith(string value, StringComparison comparisonType)
    {
        CheckOrdinal(comparisonType);
        if (value is null) ThrowHelper.ThrowArgumentNull(nameof(value));
        return value._stringLength <= _stringLength && MatchesAt(0, value);
    }

    public bool EndsWith(string value) => EndsWith(value, StringComparison.Ordinal);

    public bool EndsWith(string value, StringComparison comparisonType)
    {
        CheckOrdinal(comparisonType);
        if (value is null) ThrowHelper.ThrowArgumentNull(nameof(value));
        return value._stringLength <= _stringLength && MatchesAt(_stringLength - value._stringLength, value);
    }

    private bool MatchesAt(int at, string value)
    {
        for (int j = 0; j < value._stringLength; j++)
            if (this[at + j] != value[j]) return false;
        return true;
    }
}

// Kernel corlib: System.Text.StringBuilder, one growable char array (doubling,
// from 16). Numbers append in invariant decimal, as their ToString() gives.
using System.Runtime.CompilerServices;

namespace System.Text;

public sealed class StringBuilder
{
    private const int DefaultCapacity = 16;

    private char[] _chars;
    private int _length;

    public StringBuilder() : this(DefaultCapacity) { }

    public StringBuilder(int capacity)
    {
        if (capacity < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity));
        _chars = new char[capacity == 0 ? DefaultCapacity : capacity];
    }

    public StringBuilder(string? value) : this(value is null || value.Length < DefaultCapacity ? DefaultCapacity : value.Length)
    {
        Append(value);
    }

    public int Capacity => _chars.Length;

    /// <summary>The number of chars; setting it truncates, or pads with '\0'.</summary>
    public int Length
    {
        get => _length;
        set
        {
            if (value < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(value));
            if (value > _length) Reserve(value - _length).Clear();
            else _length = value;
        }
    }

    [IndexerName("Chars")]
    public char this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_length) ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
            return _chars[index];
        }
        set
        {
            if ((uint)index >= (uint)_length) ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
            _chars[index] = value;
        }
    }

    public StringBuilder Append(string? value)
    {
        if (value is null || value.Length == 0) return this;
        value.AsReadOnlySpan().CopyTo(Reserve(value.Length));
        return this;
    }

    public StringBuilder Append(char value)
    {
        Reserve(1)[0] = value;
        return this;
    }

    public StringBuilder Append(char value, int repeatCount)
    {
        if (repeatCount < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(repeatCount));
        Reserve(repeatCount).Fill(value);
        return this;
    }

    public StringBuilder Append(ReadOnlySpan<char> value)
    {
        value.CopyTo(Reserve(value.Length));
        return this;
    }

    public StringBuilder Append(bool value) => Append(value ? bool.TrueString : bool.FalseString);

    public StringBuilder Append(int value) => AppendSigned(value);

    public StringBuilder Append(long value) => AppendSigned(value);

    public StringBuilder Append(uint value) => AppendUnsigned(value);

    public StringBuilder Append(ulong value) => AppendUnsigned(value);

    public StringBuilder AppendLine() => Append('\n');

    public StringBuilder AppendLine(string? value) => Append(value).Append('\n');

    public StringBuilder Clear()
    {
        _length = 0;
        return this;
    }

    public override string ToString() => new string(new ReadOnlySpan<char>(_chars, 0, _length));

    public string ToString(int startIndex, int length) => new string(new ReadOnlySpan<char>(_chars, 0, _length).Slice(startIndex, length));

    private StringBuilder AppendSigned(long value)
    {
        ulong magnitude = Number.Magnitude(value, out bool negative);
        int digits = Number.CountDecimalDigits(magnitude);
        Number.WriteDecimal(Reserve(digits + (negative ? 1 : 0)), magnitude, negative, digits);
        return this;
    }

    private StringBuilder AppendUnsigned(ulong value)
    {
        int digits = Number.CountDecimalDigits(value);
        Number.WriteDecimal(Reserve(digits), value, false, digits);
        return this;
    }

    /// <summary>Extends the length by count and returns the new chars to fill in.</summary>
    private Span<char> Reserve(int count)
    {
        int needed = _length + count;
        if (needed < 0) ThrowHelper.ThrowArgumentOutOfRange(nameof(count));
        if (needed > _chars.Length)
        {
            int capacity = _chars.Length * 2;
            if (capacity < needed) capacity = needed;
            char[] bigger = new char[capacity];
            new ReadOnlySpan<char>(_chars, 0, _length).CopyTo(bigger);
            _chars = bigger;
        }
        Span<char> added = new Span<char>(_chars, _length, count);
        _length = needed;
        return added;
    }
}

// Kernel corlib: System.Span<T>, a bounds-checked view of contiguous memory.
using System.Runtime.CompilerServices;

namespace System;

public readonly ref struct Span<T>
{
    private readonly ref T _reference;
    private readonly int _length;

    public Span(T[]? array)
    {
        if (array is null) { this = default; return; }
        CheckNotCovariant(array);
        _reference = ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data);
        _length = array.Length;
    }

    public Span(T[]? array, int start, int length)
    {
        if (array is null) { SpanChecks.Range(start, length, 0); this = default; return; }
        SpanChecks.Range(start, length, array.Length);
        CheckNotCovariant(array);
        _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data), start);
        _length = length;
    }

    // A string[] seen as object[] must not become a writable Span<object>: a store
    // through it would put a non-string in a string array.
    private static unsafe void CheckNotCovariant(T[] array)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>() && Internal.Runtime.MethodTable.Of(array) != Internal.Runtime.MethodTable.Of(EmptyArray<T>.Value))
            Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArrayTypeMismatchException();
    }

    public unsafe Span(void* pointer, int length)
    {
        _reference = ref Unsafe.AsRef<T>(pointer);
        _length = length;
    }

    internal Span(ref T reference, int length)
    {
        _reference = ref reference;
        _length = length;
    }

    public static Span<T> Empty => default;

    public int Length => _length;
    public bool IsEmpty => _length == 0;

    public ref T this[int index]
    {
        get
        {
            SpanChecks.Index(index, _length);
            return ref Unsafe.Add(ref _reference, index);
        }
    }

    public Span<T> Slice(int start)
    {
        SpanChecks.Start(start, _length);
        return new Span<T>(ref Unsafe.Add(ref _reference, start), _length - start);
    }

    public Span<T> Slice(int start, int length)
    {
        SpanChecks.Range(start, length, _length);
        return new Span<T>(ref Unsafe.Add(ref _reference, start), length);
    }

    public ref T GetPinnableReference() => ref _reference;

    public void Clear()
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            SpanHelpers.ClearWithoutReferences(ref Unsafe.As<T, byte>(ref _reference), (nuint)_length * (nuint)Unsafe.SizeOf<T>());
            return;
        }
        for (int i = 0; i < _length; i++)
            Unsafe.Add(ref _reference, i) = default!;
    }

    public void Fill(T value)
    {
        if (Unsafe.SizeOf<T>() == 1)
        {
            SpanHelpers.Fill(ref Unsafe.As<T, byte>(ref _reference), Unsafe.As<T, byte>(ref value), (nuint)_length);
            return;
        }
        for (int i = 0; i < _length; i++)
            Unsafe.Add(ref _reference, i) = value;
    }

    public void CopyTo(Span<T> destination)
    {
        SpanChecks.Range(0, _length, destination.Length);
        ((ReadOnlySpan<T>)this).CopyTo(destination);
    }

    public static implicit operator Span<T>(T[]? array) => new Span<T>(array);
    public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);
}

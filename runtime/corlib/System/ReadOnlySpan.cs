// Kernel corlib: System.ReadOnlySpan<T>, a bounds-checked read-only view.
using System.Runtime.CompilerServices;

namespace System;

public readonly ref struct ReadOnlySpan<T>
{
    private readonly ref T _reference;
    private readonly int _length;

    public ReadOnlySpan(T[]? array)
    {
        if (array is null) { this = default; return; }
        _reference = ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data);
        _length = array.Length;
    }

    public ReadOnlySpan(T[]? array, int start, int length)
    {
        if (array is null) { SpanChecks.Range(start, length, 0); this = default; return; }
        SpanChecks.Range(start, length, array.Length);
        _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref Unsafe.As<RawArrayData>(array).Data), start);
        _length = length;
    }

    public unsafe ReadOnlySpan(void* pointer, int length)
    {
        _reference = ref Unsafe.AsRef<T>(pointer);
        _length = length;
    }

    internal ReadOnlySpan(ref T reference, int length)
    {
        _reference = ref reference;
        _length = length;
    }

    public static ReadOnlySpan<T> Empty => default;

    public int Length => _length;
    public bool IsEmpty => _length == 0;

    public ref readonly T this[int index]
    {
        get
        {
            SpanChecks.Index(index, _length);
            return ref Unsafe.Add(ref _reference, index);
        }
    }

    public ReadOnlySpan<T> Slice(int start)
    {
        SpanChecks.Start(start, _length);
        return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, start), _length - start);
    }

    public ReadOnlySpan<T> Slice(int start, int length)
    {
        SpanChecks.Range(start, length, _length);
        return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, start), length);
    }

    public ref readonly T GetPinnableReference() => ref _reference;

    public void CopyTo(Span<T> destination)
    {
        SpanChecks.Range(0, _length, destination.Length);
        ref T dst = ref destination.GetPinnableReference();
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            SpanHelpers.Memmove(ref Unsafe.As<T, byte>(ref dst), ref Unsafe.As<T, byte>(ref _reference), (nuint)_length * (nuint)Unsafe.SizeOf<T>());
            return;
        }
        // Copy backwards when the ranges overlap with the destination above the source.
        if (Unsafe.IsAddressGreaterThan(ref dst, ref _reference))
            for (int i = _length - 1; i >= 0; i--)
                Unsafe.Add(ref dst, i) = Unsafe.Add(ref _reference, i);
        else
            for (int i = 0; i < _length; i++)
                Unsafe.Add(ref dst, i) = Unsafe.Add(ref _reference, i);
    }

    public static implicit operator ReadOnlySpan<T>(T[]? array) => new ReadOnlySpan<T>(array);
}

// Kernel corlib: System.Nullable<T>. The field names are a compiler contract
// (ilc reads `value` to lay out the MethodTable).
namespace System;

public struct Nullable<T> where T : struct
{
    private readonly bool hasValue;
    private T value;

    public Nullable(T value) { this.value = value; hasValue = true; }

    public readonly bool HasValue => hasValue;
    public readonly T Value => value;
    public readonly T GetValueOrDefault() => value;
    public readonly T GetValueOrDefault(T defaultValue) => hasValue ? value : defaultValue;

    public override bool Equals(object? other)
    {
        if (!hasValue) return other is null;
        return other is not null && value.Equals(other);
    }

    public override int GetHashCode() => hasValue ? value.GetHashCode() : 0;

    public static implicit operator T?(T value) => new T?(value);
    public static explicit operator T(T? value) => value!.Value;
}

// Kernel corlib: System.Nullable<T>.
namespace System;

public struct Nullable<T> where T : struct
{
    private readonly bool _hasValue;
    private T _value;

    public Nullable(T value) { _value = value; _hasValue = true; }

    public readonly bool HasValue => _hasValue;
    public readonly T Value => _value;
    public readonly T GetValueOrDefault() => _value;
    public readonly T GetValueOrDefault(T defaultValue) => _hasValue ? _value : defaultValue;

    public static implicit operator T?(T value) => new T?(value);
    public static explicit operator T(T? value) => value!.Value;
}

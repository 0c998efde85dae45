// Kernel corlib: System.Collections.Generic.Comparer<T>. Default is chosen
// without reflection, as EqualityComparer<T>.Default is (see its file): ilc
// replaces the [Intrinsic] Create for each exact T with GenericComparer<T>
// (T implements IComparable<T>), NullableComparer<U>, EnumComparer<T> or
// ObjectComparer<T>, and freezes the result into the image; the C# body,
// ObjectComparer<T>, is the fallback for shared canonical code. It tries
// IComparable<T> before IComparable, so it orders as .NET's choice would.
// The getter is not [Intrinsic], for the same reason.
using System.Runtime.CompilerServices;

namespace System.Collections.Generic;

public abstract class Comparer<T> : IComparer<T>
{
    public static Comparer<T> Default { get; } = Create();

    [Intrinsic]
    private static Comparer<T> Create() => new ObjectComparer<T>();

    public abstract int Compare(T? x, T? y);
}

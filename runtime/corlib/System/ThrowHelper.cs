// Kernel corlib: where a library API that .NET documents as throwing ends up.
// There is no unwinder, so each is a kernel panic naming the exception .NET
// would throw: reaching one is a kernel bug (a duplicate key, an empty queue,
// a bad format string), never a condition to handle.
using System.Diagnostics.CodeAnalysis;
using System.Runtime;

namespace System;

internal static class ThrowHelper
{
    [DoesNotReturn] internal static void ThrowArgumentNull(string name) => Fail("ArgumentNullException: ", name);
    [DoesNotReturn] internal static void ThrowArgument(string what) => Fail("ArgumentException: ", what);
    [DoesNotReturn] internal static void ThrowArgumentOutOfRange(string name) => Fail("ArgumentOutOfRangeException: ", name);
    [DoesNotReturn] internal static void ThrowDuplicateKey() => Fail("ArgumentException: ", "an item with the same key has already been added");
    [DoesNotReturn] internal static void ThrowKeyNotFound() => Fail("KeyNotFoundException: ", "the given key was not present in the dictionary");
    [DoesNotReturn] internal static void ThrowEmptyQueue() => Fail("InvalidOperationException: ", "queue empty");
    [DoesNotReturn] internal static void ThrowVersionChanged() => Fail("InvalidOperationException: ", "collection was modified during enumeration");
    [DoesNotReturn] internal static void ThrowEnumerationNotStarted() => Fail("InvalidOperationException: ", "enumeration has not started or has finished");
    [DoesNotReturn] internal static void ThrowFormat(string what) => Fail("FormatException: ", what);
    [DoesNotReturn] internal static void ThrowNotSupported(string what) => Fail("NotSupportedException: ", what);

    [DoesNotReturn]
    private static void Fail(string exception, string detail)
    {
        RuntimeImports.KevlarFailFast(string.Concat(exception, detail));
        while (true) { }
    }
}

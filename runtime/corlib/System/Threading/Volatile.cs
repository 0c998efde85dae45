// Kernel corlib: System.Threading.Volatile. A read or write through a
// `volatile` field keeps the compiler from caching or reordering it; on x86
// that is all acquire/release needs.
using System.Runtime.CompilerServices;

namespace System.Threading;

public static class Volatile
{
    private struct VolatileUInt16 { public volatile ushort Value; }
    private struct VolatileInt32 { public volatile int Value; }
    private struct VolatileInt64 { public volatile nint Value; }
    private struct VolatileBoolean { public volatile bool Value; }
    private struct VolatileObject { public volatile object? Value; }

    public static ushort Read(ref ushort location) => Unsafe.As<ushort, VolatileUInt16>(ref location).Value;
    public static void Write(ref ushort location, ushort value) => Unsafe.As<ushort, VolatileUInt16>(ref location).Value = value;
    public static int Read(ref int location) => Unsafe.As<int, VolatileInt32>(ref location).Value;
    public static void Write(ref int location, int value) => Unsafe.As<int, VolatileInt32>(ref location).Value = value;
    public static uint Read(ref uint location) => (uint)Unsafe.As<uint, VolatileInt32>(ref location).Value;
    public static void Write(ref uint location, uint value) => Unsafe.As<uint, VolatileInt32>(ref location).Value = (int)value;
    public static long Read(ref long location) => Unsafe.As<long, VolatileInt64>(ref location).Value;
    public static void Write(ref long location, long value) => Unsafe.As<long, VolatileInt64>(ref location).Value = (nint)value;
    public static ulong Read(ref ulong location) => (ulong)Unsafe.As<ulong, VolatileInt64>(ref location).Value;
    public static void Write(ref ulong location, ulong value) => Unsafe.As<ulong, VolatileInt64>(ref location).Value = (nint)value;
    public static nint Read(ref nint location) => Unsafe.As<nint, VolatileInt64>(ref location).Value;
    public static void Write(ref nint location, nint value) => Unsafe.As<nint, VolatileInt64>(ref location).Value = value;
    public static bool Read(ref bool location) => Unsafe.As<bool, VolatileBoolean>(ref location).Value;
    public static void Write(ref bool location, bool value) => Unsafe.As<bool, VolatileBoolean>(ref location).Value = value;

    public static T Read<T>(ref T location) where T : class?
        => Unsafe.As<T>(Unsafe.As<T, VolatileObject>(ref location).Value)!;
    public static void Write<T>(ref T location, T value) where T : class?
        => Unsafe.As<T, VolatileObject>(ref location).Value = value;
}

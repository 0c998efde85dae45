// Kernel corlib: System.Enum, the base of every enum. A boxed enum's
// MethodTable carries its underlying type's element type, so equality, hashing
// (the underlying value's hash, as in .NET) and ordering read the raw value.
// No names: ToString and parsing need metadata the kernel does not keep.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

// Safety: reads a boxed enum's underlying integer in place; its width comes from the box's MethodTable.
public abstract unsafe class Enum : ValueType, IComparable
{
    // Element types (MethodTable.ElementType) an enum's underlying type can have.
    internal const uint ElementBoolean = 0x2, ElementChar = 0x3, ElementSByte = 0x4, ElementByte = 0x5,
        ElementInt16 = 0x6, ElementUInt16 = 0x7, ElementInt32 = 0x8, ElementUInt32 = 0x9,
        ElementInt64 = 0xA, ElementUInt64 = 0xB;

    public override bool Equals([NotNullWhen(true)] object? obj)
        => obj is not null && MethodTable.Of(obj) == MethodTable.Of(this) && Bits(obj) == Bits(this);

    public override int GetHashCode() => HashOf(ElementOf(this), ref Unsafe.As<RawData>(this).Data);

    public int CompareTo(object? target)
    {
        if (target is null) return 1;
        if (MethodTable.Of(target) != MethodTable.Of(this)) ThrowHelper.ThrowArgument("object must be of the same enum type");
        return CompareRaw(ElementOf(this), ref Unsafe.As<RawData>(this).Data, ref Unsafe.As<RawData>(target).Data);
    }

    private static uint ElementOf(object boxed) => MethodTable.Of(boxed)->ElementType;

    private static ulong Bits(object boxed) => RawBits(ElementOf(boxed), ref Unsafe.As<RawData>(boxed).Data);

    /// <summary>The value at data, zero-extended from its underlying size.</summary>
    internal static ulong RawBits(uint element, ref byte data) => element switch
    {
        ElementSByte or ElementByte or ElementBoolean => data,
        ElementInt16 or ElementUInt16 or ElementChar => Unsafe.As<byte, ushort>(ref data),
        ElementInt32 or ElementUInt32 => Unsafe.As<byte, uint>(ref data),
        _ => Unsafe.As<byte, ulong>(ref data),
    };

    /// <summary>The value at data, sign-extended when the underlying type is signed.</summary>
    private static long SignedValue(uint element, ref byte data) => element switch
    {
        ElementSByte => Unsafe.As<byte, sbyte>(ref data),
        ElementInt16 => Unsafe.As<byte, short>(ref data),
        ElementInt32 => Unsafe.As<byte, int>(ref data),
        ElementInt64 => Unsafe.As<byte, long>(ref data),
        _ => (long)RawBits(element, ref data),
    };

    /// <summary>What the underlying type's GetHashCode gives for the value at data.</summary>
    internal static int HashOf(uint element, ref byte data) => element switch
    {
        ElementInt64 or ElementUInt64 => Unsafe.As<byte, ulong>(ref data).GetHashCode(),
        ElementChar => Unsafe.As<byte, char>(ref data).GetHashCode(),
        _ => (int)SignedValue(element, ref data),
    };

    /// <summary>What the underlying type's CompareTo gives for the values at x and y.</summary>
    internal static int CompareRaw(uint element, ref byte x, ref byte y) => element switch
    {
        ElementSByte => Unsafe.As<byte, sbyte>(ref x).CompareTo(Unsafe.As<byte, sbyte>(ref y)),
        ElementByte => x.CompareTo(y),
        ElementInt16 => Unsafe.As<byte, short>(ref x).CompareTo(Unsafe.As<byte, short>(ref y)),
        ElementUInt16 => Unsafe.As<byte, ushort>(ref x).CompareTo(Unsafe.As<byte, ushort>(ref y)),
        ElementInt32 => Unsafe.As<byte, int>(ref x).CompareTo(Unsafe.As<byte, int>(ref y)),
        ElementUInt32 => Unsafe.As<byte, uint>(ref x).CompareTo(Unsafe.As<byte, uint>(ref y)),
        ElementInt64 => Unsafe.As<byte, long>(ref x).CompareTo(Unsafe.As<byte, long>(ref y)),
        ElementChar => Unsafe.As<byte, char>(ref x).CompareTo(Unsafe.As<byte, char>(ref y)),
        ElementBoolean => Unsafe.As<byte, bool>(ref x).CompareTo(Unsafe.As<byte, bool>(ref y)),
        _ => Unsafe.As<byte, ulong>(ref x).CompareTo(Unsafe.As<byte, ulong>(ref y)),
    };
}

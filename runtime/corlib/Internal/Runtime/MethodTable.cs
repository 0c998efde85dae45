// Kernel corlib: the compiler's type descriptor (compiler contract). Layout for
// ILCompiler 10.0.12 x64, from shared/TOOLCHAIN.md: flags, base size, related
// type, vtable slot count, interface count, hash, then the vtable and the
// interface map.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Internal.Runtime;

[StructLayout(LayoutKind.Sequential)]
public unsafe struct MethodTable
{
    public uint Flags;
    public uint BaseSize;
    public MethodTable* RelatedType;
    public ushort NumVtableSlots;
    public ushort NumInterfaces;
    public uint HashCode;

    public const uint HasComponentSizeFlag = 0x80000000;
    public const uint HasPointersFlag = 0x01000000;
    public const uint ElementTypeMask = 0x7C000000;
    public const int ElementTypeShift = 26;
    public const uint ElementTypeArray = 0x18;

    public bool HasComponentSize => (Flags & HasComponentSizeFlag) != 0;
    public ushort ComponentSize => HasComponentSize ? (ushort)Flags : (ushort)0;
    public bool ContainsGCPointers => (Flags & HasPointersFlag) != 0;
    public uint ElementType => (Flags & ElementTypeMask) >> ElementTypeShift;
    public bool IsArray => ElementType == ElementTypeArray || ElementType == 0x17;

    /// <summary>Element types below this are value types (primitives 0x2-0xF, structs 0x10, Nullable 0x11).</summary>
    public const uint ElementTypeClass = 0x14;
    public const uint ElementTypeNullable = 0x11;
    public const uint ElementTypeSingle = 0xE;
    public const uint ElementTypeDouble = 0xF;

    public bool IsValueType => ElementType < ElementTypeClass;

    /// <summary>A value type's data size: BaseSize less header, MethodTable pointer and the padding
    /// ilc records in the extended flags (bits 5-7 of the low 16 bits).</summary>
    public uint ValueTypeSize => BaseSize - 16 - ((Flags & 0xE0) >> 5);

    /// <summary>The interface map: NumInterfaces pointers after the vtable.</summary>
    public MethodTable** InterfaceMap
    {
        get
        {
            fixed (MethodTable* self = &this)
                return (MethodTable**)((byte*)self + 24 + 8 * NumVtableSlots);
        }
    }

    /// <summary>T's MethodTable, without an instance (the JIT must expand this intrinsic; the body never runs).</summary>
    /// <remarks>Compiler contract: ilc's generated ValueType.__GetFieldHelper overrides look up
    /// "the method named Of" and take the first one, so this one must be declared before Of(object).</remarks>
    [Intrinsic]
    public static MethodTable* Of<T>() => null;

    public static MethodTable* Of(object o) => *(MethodTable**)Unsafe.As<object, nint>(ref o);
}

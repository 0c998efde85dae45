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

    /// <summary>The interface map: NumInterfaces pointers after the vtable.</summary>
    public MethodTable** InterfaceMap
    {
        get
        {
            fixed (MethodTable* self = &this)
                return (MethodTable**)((byte*)self + 24 + 8 * NumVtableSlots);
        }
    }

    public static MethodTable* Of(object o) => *(MethodTable**)Unsafe.As<object, nint>(ref o);
}

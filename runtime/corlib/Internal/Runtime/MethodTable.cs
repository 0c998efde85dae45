// Kernel corlib: the compiler's type descriptor (compiler contract). Layout for
// ILCompiler 10.0.12 x64, from shared/TOOLCHAIN.md: flags, base size, related
// type, vtable slot count, interface count, hash, then the vtable and the
// interface map.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Internal.Runtime;

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MethodTable
{
    internal uint Flags;
    internal uint BaseSize;
    internal MethodTable* RelatedType;
    internal ushort NumVtableSlots;
    internal ushort NumInterfaces;
    internal uint HashCode;

    internal const uint HasComponentSizeFlag = 0x80000000;
    internal const uint HasPointersFlag = 0x01000000;
    internal const uint ElementTypeMask = 0x7C000000;
    internal const int ElementTypeShift = 26;
    internal const uint ElementTypeArray = 0x18;
    internal const uint ElementTypeInterface = 0x15; // not used for dispatch; see IsInterface

    internal bool HasComponentSize => (Flags & HasComponentSizeFlag) != 0;
    internal ushort ComponentSize => HasComponentSize ? (ushort)Flags : (ushort)0;
    internal bool ContainsGCPointers => (Flags & HasPointersFlag) != 0;
    internal uint ElementType => (Flags & ElementTypeMask) >> ElementTypeShift;
    internal bool IsArray => ElementType == ElementTypeArray || ElementType == 0x17;

    /// <summary>The interface map: NumInterfaces pointers after the vtable.</summary>
    internal MethodTable** InterfaceMap
    {
        get
        {
            fixed (MethodTable* self = &this)
                return (MethodTable**)((byte*)self + 24 + 8 * NumVtableSlots);
        }
    }

    internal static MethodTable* Of(object o) => *(MethodTable**)Unsafe.As<object, nint>(ref o);
}

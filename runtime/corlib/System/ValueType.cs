// Kernel corlib: System.ValueType, the base of every struct, with .NET's
// default Equals and GetHashCode for a struct that does not override them:
// field by field. A struct whose bytes say it all (no references, no floats,
// no padding) is compared and hashed as raw bytes; for any other, ilc
// generates an override of __GetFieldHelper that lists its fields' offsets and
// types (compiler contract), and each field is compared with its own Equals.
// Like .NET, the hash is the first non-null field's hash (or the XOR of the
// raw 4-byte words), mixed with the type's hash. A Nullable field is not
// supported (see RuntimeExports).
using System.Diagnostics.CodeAnalysis;
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System;

// Safety: compares two boxes of the same type field by field at the offsets ilc's helper reports.
public abstract unsafe class ValueType
{
    private const int UseFastHelper = -1;
    private const int GetNumFields = -1;

    /// <summary>Compiler contract: with index GetNumFields, the field count (or UseFastHelper when
    /// the raw bytes can be compared); otherwise field index's offset in the data, and its type in mt.</summary>
    internal virtual int __GetFieldHelper(int index, out MethodTable* mt)
    {
        mt = null;
        return UseFastHelper;
    }

    public override bool Equals([NotNullWhen(true)] object? obj)
    {
        if (obj is null || MethodTable.Of(obj) != MethodTable.Of(this)) return false;
        ref byte self = ref Unsafe.As<RawData>(this).Data;
        ref byte other = ref Unsafe.As<RawData>(obj).Data;
        int fields = __GetFieldHelper(GetNumFields, out _);
        if (fields == UseFastHelper)
            return SpanHelpers.SequenceEqual(ref self, ref other, MethodTable.Of(this)->ValueTypeSize);
        for (int i = 0; i < fields; i++)
        {
            int offset = __GetFieldHelper(i, out MethodTable* type);
            if (!FieldEquals(type, ref Unsafe.Add(ref self, offset), ref Unsafe.Add(ref other, offset))) return false;
        }
        return true;
    }

    public override int GetHashCode()
    {
        MethodTable* mt = MethodTable.Of(this);
        ref byte data = ref Unsafe.As<RawData>(this).Data;
        int fields = __GetFieldHelper(GetNumFields, out _);
        int hash = fields == UseFastHelper ? RawHash(ref data, mt->ValueTypeSize) : FirstFieldHash(ref data, fields);
        return (int)mt->HashCode ^ hash;
    }

    private static bool FieldEquals(MethodTable* type, ref byte x, ref byte y)
    {
        if (!type->IsValueType)
        {
            object? a = Unsafe.As<byte, object?>(ref x), b = Unsafe.As<byte, object?>(ref y);
            return a is null ? b is null : a.Equals(b);
        }
        if (type->ElementType == MethodTable.ElementTypeDouble) return Unsafe.As<byte, double>(ref x).Equals(Unsafe.As<byte, double>(ref y));
        if (type->ElementType == MethodTable.ElementTypeSingle) return Unsafe.As<byte, float>(ref x).Equals(Unsafe.As<byte, float>(ref y));
        if (type->ElementType < 0x10) return SpanHelpers.SequenceEqual(ref x, ref y, type->ValueTypeSize);
        return Box(type, ref x).Equals(Box(type, ref y));
    }

    private int FirstFieldHash(ref byte data, int fields)
    {
        for (int i = 0; i < fields; i++)
        {
            int offset = __GetFieldHelper(i, out MethodTable* type);
            ref byte field = ref Unsafe.Add(ref data, offset);
            if (!type->IsValueType)
            {
                object? value = Unsafe.As<byte, object?>(ref field);
                if (value is not null) return value.GetHashCode();
                continue;
            }
            if (type->ElementType == MethodTable.ElementTypeDouble) return Unsafe.As<byte, double>(ref field).GetHashCode();
            if (type->ElementType == MethodTable.ElementTypeSingle) return Unsafe.As<byte, float>(ref field).GetHashCode();
            if (type->ElementType < 0x10) return RawHash(ref field, type->ValueTypeSize);
            return Box(type, ref field).GetHashCode();
        }
        return 0;
    }

    private static int RawHash(ref byte data, uint size)
    {
        int hash = 0;
        for (uint i = 0; i + 4 <= size; i += 4) hash ^= Unsafe.As<byte, int>(ref Unsafe.Add(ref data, (nint)i));
        return hash;
    }

    private static object Box(MethodTable* type, ref byte data) => RuntimeExports.RhBox(type, ref data)!;
}

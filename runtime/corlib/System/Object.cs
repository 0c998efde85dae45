// Kernel corlib: System.Object. The first field of every object is its
// MethodTable pointer; the 8 bytes before it are the (unused) object header.
// Equality is identity; the hash is RuntimeHelpers.GetHashCode (from the address:
// the collector never moves an object).
using System.Runtime.CompilerServices;

namespace System;

public class Object
{
#pragma warning disable 169
    // Compiler contract: the MethodTable pointer is the first field.
    private IntPtr m_pEEType;
#pragma warning restore 169

    public Object() { }
    ~Object() { }

    public virtual bool Equals(object? obj) => this == obj;
    public virtual int GetHashCode() => RuntimeHelpers.GetHashCode(this);
    public virtual string? ToString() => null;

    public static bool Equals(object? objA, object? objB)
    {
        if (objA == objB) return true;
        if (objA is null || objB is null) return false;
        return objA.Equals(objB);
    }

    public static bool ReferenceEquals(object? objA, object? objB) => objA == objB;
}

// Kernel corlib: System.Object. The first field of every object is its
// MethodTable pointer; the 8 bytes before it are the (unused) object header.
namespace System;

public class Object
{
#pragma warning disable 169
    // Compiler contract: the MethodTable pointer is the first field.
    private IntPtr m_pEEType;
#pragma warning restore 169

    public Object() { }
    ~Object() { }

    public virtual bool Equals(object? o) => this == o;
    public virtual int GetHashCode() => 0;
    public virtual string? ToString() => null;
}

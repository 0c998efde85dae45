// Kernel corlib: the view of an array object used to find its first element.
namespace System.Runtime.CompilerServices;

internal sealed class RawArrayData
{
#pragma warning disable 649
    public uint Length;
    public uint Padding;
    public byte Data;
#pragma warning restore 649
}

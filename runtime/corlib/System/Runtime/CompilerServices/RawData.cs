// Kernel corlib: the view of a boxed value (or any object) used to reach its
// first byte of data, which follows the MethodTable pointer.
namespace System.Runtime.CompilerServices;

internal sealed class RawData
{
#pragma warning disable 649
    public byte Data;
#pragma warning restore 649
}

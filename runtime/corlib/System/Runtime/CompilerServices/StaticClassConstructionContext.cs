// Kernel corlib: the per-type lazy static constructor state (compiler contract):
// the cctor's address until it has run, 1 while it runs, 0 afterwards.
namespace System.Runtime.CompilerServices;

public struct StaticClassConstructionContext
{
    public nint cctorMethodAddress;
}

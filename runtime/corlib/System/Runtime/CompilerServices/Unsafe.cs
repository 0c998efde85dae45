// Kernel corlib: System.Runtime.CompilerServices.Unsafe. ilc supplies the
// bodies of these intrinsics (compiler contract); the C# bodies are placeholders.
namespace System.Runtime.CompilerServices;

public static unsafe class Unsafe
{
    [Intrinsic] public static void* AsPointer<T>(ref T value) => null;
    [Intrinsic] public static ref T AsRef<T>(void* source) => ref *(T*)source;
    [Intrinsic] public static ref T AsRef<T>(scoped ref readonly T source) => ref *(T*)null;
    [Intrinsic] public static T As<T>(object? o) where T : class? => default!;
    [Intrinsic] public static ref TTo As<TFrom, TTo>(ref TFrom source) => ref *(TTo*)null;
    [Intrinsic] public static ref T Add<T>(ref T source, int elementOffset) => ref source;
    [Intrinsic] public static ref T Add<T>(ref T source, nint elementOffset) => ref source;
    [Intrinsic] public static ref T AddByteOffset<T>(ref T source, nint byteOffset) => ref source;
    [Intrinsic] public static nint ByteOffset<T>(ref readonly T origin, ref readonly T target) => 0;
    [Intrinsic] public static bool AreSame<T>(ref readonly T left, ref readonly T right) => false;
    [Intrinsic] public static bool IsAddressGreaterThan<T>(ref readonly T left, ref readonly T right) => false;
    [Intrinsic] public static bool IsAddressLessThan<T>(ref readonly T left, ref readonly T right) => false;
    [Intrinsic] public static bool IsNullRef<T>(ref readonly T source) => false;
    [Intrinsic] public static ref T NullRef<T>() => ref *(T*)null;
    [Intrinsic] public static int SizeOf<T>() => sizeof(T);
    [Intrinsic] public static T Read<T>(void* source) => *(T*)source;
    [Intrinsic] public static void Write<T>(void* destination, T value) { *(T*)destination = value; }
    [Intrinsic] public static T ReadUnaligned<T>(void* source) => *(T*)source;
    [Intrinsic] public static void WriteUnaligned<T>(void* destination, T value) { *(T*)destination = value; }
}

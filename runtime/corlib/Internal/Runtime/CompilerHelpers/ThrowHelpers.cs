// Kernel corlib: the helpers compiled code calls on a failed runtime check
// (compiler contract). The kernel has no unwinder: each is a kernel panic with
// the reason, never an exception. Kernel code must not rely on them for
// control flow; user-space errors are errno values checked before this point.
using System.Runtime;

namespace Internal.Runtime.CompilerHelpers;

internal static class ThrowHelpers
{
    internal static void ThrowIndexOutOfRangeException() => RuntimeImports.KevlarFailFast("index out of range");
    internal static void ThrowArgumentOutOfRangeException() => RuntimeImports.KevlarFailFast("argument out of range");
    internal static void ThrowArgumentException() => RuntimeImports.KevlarFailFast("bad argument");
    internal static void ThrowOverflowException() => RuntimeImports.KevlarFailFast("arithmetic overflow");
    internal static void ThrowDivideByZeroException() => RuntimeImports.KevlarFailFast("division by zero");
    internal static void ThrowNullReferenceException() => RuntimeImports.KevlarFailFast("null reference");
    internal static void ThrowArrayTypeMismatchException() => RuntimeImports.KevlarFailFast("array type mismatch");
    internal static void ThrowInvalidCastException() => RuntimeImports.KevlarFailFast("invalid cast");
    internal static void ThrowPlatformNotSupportedException() => RuntimeImports.KevlarFailFast("platform not supported");
    internal static void ThrowTypeLoadException() => RuntimeImports.KevlarFailFast("type load failure");
    internal static void ThrowTypeLoadExceptionWithArgument() => RuntimeImports.KevlarFailFast("type load failure");
    internal static void ThrowMissingMethodException() => RuntimeImports.KevlarFailFast("missing method");
    internal static void ThrowMissingFieldException() => RuntimeImports.KevlarFailFast("missing field");
    internal static void ThrowFileNotFoundException() => RuntimeImports.KevlarFailFast("file not found");
    internal static void ThrowInvalidProgramException() => RuntimeImports.KevlarFailFast("invalid program");
    internal static void ThrowInvalidProgramExceptionWithArgument() => RuntimeImports.KevlarFailFast("invalid program");
    internal static void ThrowBadImageFormatException() => RuntimeImports.KevlarFailFast("bad image format");
    internal static void ThrowMarshalDirectiveException() => RuntimeImports.KevlarFailFast("marshal directive");
    internal static void ThrowAmbiguousMatchException() => RuntimeImports.KevlarFailFast("ambiguous match");
    internal static void ThrowNotSupportedException() => RuntimeImports.KevlarFailFast("not supported");
    internal static void ThrowFeatureBodyRemoved() => RuntimeImports.KevlarFailFast("feature body removed by the compiler");
}

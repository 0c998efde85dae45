// Host twin of the metal fail-fast path: instead of a panic report and a
// halted machine, a KernelPanicException the test can assert on.
using Kevlar.Runtime.Metal.Tests.Support;

namespace Kevlar.Runtime.Metal.Exports;

public static class FailFastExports
{
    public static void Fail(string reason) => throw new KernelPanicException(reason);
}

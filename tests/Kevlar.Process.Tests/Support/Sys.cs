// Sys: shorthands for calling syscall handlers directly — raw argument
// registers as SyscallArgs, and the negated errno a handler returns.
using Kevlar.Process.Syscalls;

namespace Kevlar.Process.Tests.Support;

public static class Sys
{
    public static SyscallArgs Args(ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
        => new SyscallArgs(a0, a1, a2, a3, a4, a5);

    /// <summary>A C int argument as the register holds it (sign-extended, as the C library passes it).</summary>
    public static ulong I(int v) => unchecked((ulong)(long)v);

    /// <summary>What a handler returns for <paramref name="errno"/>.</summary>
    public static long Err(int errno) => -(long)errno;
}

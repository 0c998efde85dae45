// Faults on purpose, for the tests that check the panic path end to end
// (kernel command line kevlar.fault=null-write|stack-overflow|assert|covariant-span|kernel-hang|lock-order).
using System;
using System.Runtime.CompilerServices;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Drivers.X86_64.Diagnostics;

public static unsafe class DeliberateFaults
{
    /// <summary>Triggers the named fault; returns false for an unknown name.</summary>
    public static bool Trigger(string kind)
    {
        if (kind == "null-write") WriteToUnmappedAddress();
        else if (kind == "stack-overflow") Recurse(0);
        else if (kind == "assert") Kassert.True(false, "deliberate assertion");
        else if (kind == "covariant-span") WriteThroughCovariantSpan(new string[1]);
        else if (kind == "kernel-hang") SpinInTheKernel();
        else if (kind == "lock-order") AllocateWhilePrinting();
        else return false;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteToUnmappedAddress()
    {
        // Safety: page 0 is never mapped; this write is the fault under test.
        *(int*)0x18 = 0x6b657672;
    }

    // A string[] seen as object[]: a writable Span<object> over it would let a
    // non-string in, so the corlib refuses to make one (array type mismatch).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteThroughCovariantSpan(object[] strings)
    {
        Span<object> span = strings;
        span[0] = new object();
    }

    // Interrupts are off in kernel code: only the watchdog's NMI gets this CPU out.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SpinInTheKernel()
    {
        while (true) Kevlar.Runtime.Metal.Native.Pause();
    }

    // The serial line ranks above the heap's block pool: taking the pool while holding the
    // line is a nesting that could deadlock, and LockWatch must stop it the first time it runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateWhilePrinting()
    {
        int cpu = Cpu.CpuLocal.CurrentIndex;
        Console.SerialConsole.Begin(cpu);
        s_kept = new byte[1 << 20]; // a large object always takes the pool's lock; kept, so not optimised away
        Console.SerialConsole.End(cpu);
    }

    private static byte[]? s_kept;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth)
    {
        Span<byte> frame = stackalloc byte[512];
        frame[depth & 511] = (byte)depth;
        return Recurse(depth + 1) + frame[(depth * 7) & 511];
    }
}

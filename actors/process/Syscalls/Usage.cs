// times(2), getrusage(2), sysinfo(2): CPU time as the threads account it
// (user time around each run in user mode, system time around each syscall),
// clock ticks at 100 Hz (AT_CLKTCK), and the machine's uptime and memory.
using System.Buffers.Binary;
using System;

namespace Kevlar.Process.Syscalls;

public static class Usage
{
    public const int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
    private const ulong TickNanoseconds = 10_000_000;

    public static long Times(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        if (a.Pointer(0) != 0)
        {
            Span<byte> b = stackalloc byte[32];
            b.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(0), t.UserNanoseconds / TickNanoseconds);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), t.SystemNanoseconds / TickNanoseconds);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), p.ChildrenUserNanoseconds / TickNanoseconds);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(24), p.ChildrenSystemNanoseconds / TickNanoseconds);
            int r = p.UserMemory.Write(a.Pointer(0), b);
            if (r != 0) return r;
        }
        return (long)(p.Host.Clock.MonotonicNanoseconds / TickNanoseconds);
    }

    // struct rusage: two timevals then 14 longs (144 bytes).
    public static long Getrusage(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        int who = a.Int(0);
        ulong user, system;
        if (who == RUSAGE_SELF || who == RUSAGE_THREAD) { user = t.UserNanoseconds; system = t.SystemNanoseconds; }
        else if (who == RUSAGE_CHILDREN) { user = p.ChildrenUserNanoseconds; system = p.ChildrenSystemNanoseconds; }
        else return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[144];
        b.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(0), user / 1_000_000_000);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), user % 1_000_000_000 / 1000);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), system / 1_000_000_000);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(24), system % 1_000_000_000 / 1000);
        return p.UserMemory.Write(a.Pointer(1), b);
    }

    // struct sysinfo (112 bytes): uptime, loads[3], totalram, freeram, sharedram, bufferram,
    // totalswap, freeswap, procs (u16), pad, totalhigh, freehigh, mem_unit (u32).
    public static long Sysinfo(UserThread t, in SyscallArgs a)
    {
        ProcessHost host = t.Process.Host;
        Span<byte> b = stackalloc byte[112];
        b.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(0), host.Clock.MonotonicNanoseconds / 1_000_000_000);
        // loads[3] with SI_LOAD_SHIFT 16 bits of fraction (the kernel's FSHIFT 11, shifted up).
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), (ulong)host.Load.One << (16 - LoadAverage.FSHIFT));
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), (ulong)host.Load.Five << (16 - LoadAverage.FSHIFT));
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(24), (ulong)host.Load.Fifteen << (16 - LoadAverage.FSHIFT));
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(32), host.Memory.TotalBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(40), host.Memory.FreeBytes);
        int procs = host.ProcessCount;
        b[80] = (byte)procs;
        b[81] = (byte)(procs >> 8);
        b[104] = 1; // mem_unit
        return t.Process.UserMemory.Write(a.Pointer(0), b);
    }
}

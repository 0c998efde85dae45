// sched_getaffinity(2), sched_setaffinity(2), getcpu(2). A thread runs on
// its home CPU; the affinity mask is every online CPU, and a mask naming
// none of them is -EINVAL. getaffinity returns the bytes written (a multiple
// of 8, as Linux's cpumask size).
using System;

namespace Kevlar.Process.Syscalls;

public static class Affinity
{
    /// <summary>pid 0 is the caller; another pid must name a live thread (-ESRCH otherwise).</summary>
    private static bool Exists(UserThread t, int pid)
    {
        if (pid == 0 || pid == t.Tid) return true;
        UserProcess[] all = t.Process.Host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            UserThread[] threads = all[i].ThreadSnapshot;
            for (int j = 0; j < threads.Length; j++) if (threads[j].Tid == pid) return true;
        }
        return false;
    }

    public static long Getaffinity(UserThread t, in SyscallArgs a)
    {
        if (a.Int(0) < 0) return -Errno.EINVAL;
        if (!Exists(t, a.Int(0))) return -Errno.ESRCH;
        int cpus = t.Process.Host.Scheduler.CpuCount;
        int bytes = ((cpus + 63) / 64) * 8;
        ulong size = a.Size(1);
        if (size < (ulong)bytes || (size & 7) != 0) return -Errno.EINVAL;
        var mask = new byte[bytes];
        for (int c = 0; c < cpus; c++) mask[c / 8] |= (byte)(1 << (c % 8));
        int r = t.Process.UserMemory.Write(a.Pointer(2), mask);
        return r != 0 ? r : bytes;
    }

    public static long Setaffinity(UserThread t, in SyscallArgs a)
    {
        if (a.Int(0) < 0) return -Errno.EINVAL;
        if (!Exists(t, a.Int(0))) return -Errno.ESRCH;
        int cpus = t.Process.Host.Scheduler.CpuCount;
        ulong size = a.Size(1);
        int bytes = size > 128 ? 128 : (int)size;
        var mask = new byte[bytes];
        int r = t.Process.UserMemory.Read(a.Pointer(2), mask);
        if (r != 0) return r;
        for (int c = 0; c < cpus && c / 8 < bytes; c++)
            if ((mask[c / 8] & (1 << (c % 8))) != 0) return 0;
        return -Errno.EINVAL;
    }

    public static long Getcpu(UserThread t, in SyscallArgs a)
    {
        int cpu = t.Home;
        if (a.Pointer(0) != 0)
        {
            int r = t.Process.UserMemory.WriteInt32(a.Pointer(0), cpu);
            if (r != 0) return r;
        }
        if (a.Pointer(1) != 0) return t.Process.UserMemory.WriteInt32(a.Pointer(1), 0);
        return 0;
    }
}

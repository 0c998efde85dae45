// sched_getaffinity(2), sched_setaffinity(2), getcpu(2). Each thread has an
// affinity mask (UserThread.AffinityMask, every CPU until set, inherited by
// fork and clone); a mask naming no online CPU is -EINVAL. A thread that
// sets a mask excluding its home CPU moves at the end of that syscall, so it
// returns to user mode on an allowed CPU, as on Linux; another thread given
// such a mask moves at the end of its next time slice or sched_yield
// (UserThread.MoveIntoAffinity). getaffinity returns the bytes written (a
// multiple of 8, as Linux's cpumask size).
using System;
using Kevlar.Runtime.Threading;

namespace Kevlar.Process.Syscalls;

public static class Affinity
{
    /// <summary>pid 0 is the caller; another pid must name a live thread in the caller's PID
    /// namespace (null otherwise: -ESRCH).</summary>
    private static UserThread? Find(UserThread t, int pid)
    {
        if (pid == 0 || pid == t.OwnTid) return t;
        pid = t.Process.PidNs.GlobalOf(pid);
        if (pid <= 0) return null;
        UserProcess[] all = t.Process.Host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            UserThread[] threads = all[i].ThreadSnapshot;
            for (int j = 0; j < threads.Length; j++) if (threads[j].Tid == pid) return threads[j];
        }
        return null;
    }

    public static long Getaffinity(UserThread t, in SyscallArgs a)
    {
        if (a.Int(0) < 0) return -Errno.EINVAL;
        UserThread? target = Find(t, a.Int(0));
        if (target == null) return -Errno.ESRCH;
        int cpus = t.Process.Host.Scheduler.CpuCount;
        int bytes = ((cpus + 63) / 64) * 8;
        ulong size = a.Size(1);
        if (size < (ulong)bytes || (size & 7) != 0) return -Errno.EINVAL;
        long allowed = Atomic.Load(ref target.AffinityMask);
        var mask = new byte[bytes];
        for (int c = 0; c < cpus; c++)
            if (((allowed >> c) & 1) != 0) mask[c / 8] |= (byte)(1 << (c % 8));
        int r = t.Process.UserMemory.Write(a.Pointer(2), mask);
        return r != 0 ? r : bytes;
    }

    public static long Setaffinity(UserThread t, in SyscallArgs a)
    {
        if (a.Int(0) < 0) return -Errno.EINVAL;
        UserThread? target = Find(t, a.Int(0));
        if (target == null) return -Errno.ESRCH;
        int cpus = t.Process.Host.Scheduler.CpuCount;
        ulong size = a.Size(1);
        int bytes = size > 128 ? 128 : (int)size;
        var mask = new byte[bytes];
        int r = t.Process.UserMemory.Read(a.Pointer(2), mask);
        if (r != 0) return r;
        long allowed = 0;
        for (int c = 0; c < cpus && c < UserThread.MaxAffinityCpus && c / 8 < bytes; c++)
            if ((mask[c / 8] & (1 << (c % 8))) != 0) allowed |= 1L << c;
        if (allowed == 0) return -Errno.EINVAL;
        Atomic.Store(ref target.AffinityMask, allowed);
        if (target == t && !t.MayRunOn(t.Home)) t.YieldRequested = true;
        return 0;
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

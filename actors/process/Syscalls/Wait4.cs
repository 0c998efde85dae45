// wait4(2): reaps a child that has exited, waiting while matching children
// still run. pid > 0 that child, 0 the caller's process group, -1 any child,
// < -1 the group -pid. WNOHANG returns 0 instead of waiting; -ECHILD when no
// child matches. The wait status is encoded as Linux does (WaitStatus), and
// struct rusage carries the child's CPU time. The wait is owned by the
// caller's process: child exit reports arrive as messages to its main thread,
// which wakes the waiting thread (a WakeMessage setting ChildEvent), and this
// method resumes in that thread's handler. Pids and groups, passed and
// returned, are numbers in the caller's PID namespace.
using System.Buffers.Binary;
using System;
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Diagnostics;

namespace Kevlar.Process.Syscalls;

public static class Wait4
{
    public const int WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8, WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = unchecked((int)0x80000000);

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a) => Do(t, a.Int(0), a.Pointer(1), a.Int(2), a.Pointer(3));

    public static async KernelTask<long> Do(UserThread t, int pid, ulong statusAddress, int options, ulong rusageAddress)
    {
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) != 0) return -Errno.EINVAL;
        if (pid == int.MinValue) return -Errno.ESRCH;
        UserProcess p = t.Process;
        pid = KernelPid(p, pid);
        if (SeededBugs.WaitWithoutRecheck && (options & WNOHANG) == 0 && p.Children.Count + p.Zombies.Count > 0)
            await NextChildExit(t); // Seeded bug: sleeps before looking for zombies.
        while (true)
        {
            UserProcess? zombie = FindZombie(p, pid);
            if (zombie != null) return Reap(p, zombie, statusAddress, rusageAddress);
            int state = p.FindState(pid, (options & WUNTRACED) != 0, (options & WCONTINUED) != 0);
            if (state >= 0) return ReportState(p, state, statusAddress, rusageAddress);
            if (!HasChild(p, pid)) return -Errno.ECHILD;
            if ((options & WNOHANG) != 0) return 0;
            await NextChildExit(t);
        }
    }

    /// <summary>A zombie child matching <paramref name="pid"/> (wait4's pid rules), or null.</summary>
    public static UserProcess? FindZombie(UserProcess p, int pid)
    {
        for (int i = 0; i < p.Zombies.Count; i++)
            if (Matches(p.Zombies[i], pid, p)) return p.Zombies[i];
        return null;
    }

    /// <summary>Whether a live child matches <paramref name="pid"/>.</summary>
    public static bool HasChild(UserProcess p, int pid)
    {
        for (int i = 0; i < p.Children.Count; i++)
            if (Matches(p.Children[i], pid, p)) return true;
        return false;
    }

    /// <summary>Waits until a child's exit report arrives. A fresh event per wait: one
    /// abandoned by a signal (EINTR) keeps its dead waiter.</summary>
    public static async KernelTask<int> NextChildExit(UserThread t)
    {
        UserProcess p = t.Process;
        var exited = new KernelEvent<int>(t);
        p.ChildEvent = exited;
        p.ChildWaiter = t;
        t.WaitEvent = exited;
        int pid = await exited;
        t.EndWait();
        return pid;
    }

    /// <summary>Wait's pid argument (a child, 0, -1 or a group, in the caller's namespace) with the
    /// kernel's numbers; a number nothing has there becomes one no child matches (ECHILD).</summary>
    public static int KernelPid(UserProcess caller, int pid)
    {
        if (caller.PidNs.Level == 0 || pid == 0 || pid == -1) return pid;
        int global = caller.PidNs.GlobalOf(pid > 0 ? pid : -pid);
        if (global == 0) return NoProcess;
        return pid > 0 ? global : -global;
    }

    // A kernel pid never handed out (they count up from 1 and are never reused).
    private const int NoProcess = int.MaxValue;

    /// <summary>Whether <paramref name="child"/> is one wait's <paramref name="pid"/> (kernel numbers, KernelPid) picks.</summary>
    public static bool Matches(UserProcess child, int pid, UserProcess parent)
    {
        if (pid > 0) return child.Pid == pid;
        if (pid == 0) return child.ProcessGroup == parent.ProcessGroup;
        if (pid == -1) return true;
        return child.ProcessGroup == -pid;
    }

    private static long Reap(UserProcess p, UserProcess zombie, ulong statusAddress, ulong rusageAddress)
    {
        if (statusAddress != 0)
        {
            int r = p.UserMemory.WriteInt32(statusAddress, zombie.ExitWaitStatus);
            if (r != 0) return r;
        }
        if (rusageAddress != 0)
        {
            Span<byte> b = stackalloc byte[144];
            b.Clear();
            ulong user = zombie.UserNanoseconds, system = zombie.SystemNanoseconds;
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(0), user / 1_000_000_000);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), user % 1_000_000_000 / 1000);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), system / 1_000_000_000);
            BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(24), system % 1_000_000_000 / 1000);
            int r = p.UserMemory.Write(rusageAddress, b);
            if (r != 0) return r;
        }
        p.Reap(zombie);
        return p.PidNs.NumberOf(zombie);
    }

    // A stopped or continued child: its status once (WUNTRACED/WCONTINUED), rusage zero.
    private static long ReportState(UserProcess p, int index, ulong statusAddress, ulong rusageAddress)
    {
        UserProcess child = p.StateChildren[index];
        int status = p.StateStatuses[index];
        if (statusAddress != 0)
        {
            int r = p.UserMemory.WriteInt32(statusAddress, status);
            if (r != 0) return r;
        }
        if (rusageAddress != 0)
        {
            int r = p.UserMemory.Write(rusageAddress, new byte[144]);
            if (r != 0) return r;
        }
        p.StateChildren.RemoveAt(index);
        p.StateStatuses.RemoveAt(index);
        return p.PidNs.NumberOf(child);
    }
}

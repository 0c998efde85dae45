// kill(2), tkill(2), tgkill(2). kill's pid: > 0 one process, 0 the caller's
// process group, -1 every process the caller may signal except init and
// itself, < -1 the group -pid. Permission: root, or the sender's real or
// effective uid equals the target's real or saved uid (-EPERM otherwise).
// Signal 0 only checks. Pids and groups are numbers in the caller's PID
// namespace (kill -1 reaches only processes there, its init excepted), and
// si_pid is the sender's number in the target's namespace (0 from outside).
// A signal to the caller's own process is raised
// before the syscall returns, as Linux delivers it before going back to user
// mode; others travel as a message to the target's thread.
using Kevlar.Process.Signals;

namespace Kevlar.Process.Syscalls;

public static class Kill
{
    public static long InvokeKill(UserThread t, in SyscallArgs a) => DoKill(t, a.Int(0), a.Int(1));

    public static long InvokeTkill(UserThread t, in SyscallArgs a)
    {
        int tid = a.Int(0);
        if (tid <= 0) return -Errno.EINVAL;
        return ToThread(t, 0, tid, a.Int(1));
    }

    public static long InvokeTgkill(UserThread t, in SyscallArgs a)
    {
        int tgid = a.Int(0), tid = a.Int(1);
        if (tgid <= 0 || tid <= 0) return -Errno.EINVAL;
        return ToThread(t, tgid, tid, a.Int(2));
    }

    // A thread-directed signal. Threads of another process are looked up on their own CPU;
    // tid lookups scan the process table's threads (a thread's tid is unique system-wide).
    private static long ToThread(UserThread t, int tgid, int tid, int signal)
    {
        if (signal < 0 || signal > Signal.Max) return -Errno.EINVAL;
        // tkill passes tgid 0 (any process); a number with nothing behind it here is ESRCH.
        Namespaces.PidNamespace ns = t.Process.PidNs;
        int anyProcess = tgid;
        tid = ns.GlobalOf(tid);
        if (tgid != 0) tgid = ns.GlobalOf(tgid);
        if (tid == 0 || (anyProcess != 0 && tgid == 0)) return -Errno.ESRCH;
        UserProcess[] all = t.Process.Host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess p = all[i];
            if (tgid != 0 && p.Pid != tgid) continue;
            UserThread? target = p == t.Process ? p.ThreadOf(tid) : FindThread(p, tid);
            if (target == null && tid == p.Pid && !p.Exited)
            {
                // The leader left (exit) while its group lives on: Linux still finds the zombie
                // leader, and the signal stays pending on it, never delivered (complete_signal
                // finds no thread that wants it for a thread-directed signal).
                return MaySignal(t.Process, p) ? 0 : -Errno.EPERM;
            }
            if (target == null) continue;
            if (!MaySignal(t.Process, p)) return -Errno.EPERM;
            if (signal == 0 || p.Exited) return 0;
            if (target == t) SignalDelivery.Raise(t, signal, SignalInfo.SI_TKILL, t.Process.OwnPid, t.Process.Uid);
            else p.Host.Scheduler.Send(target, new SignalMessage(signal, SignalInfo.SI_TKILL, p.PidNs.NumberOf(t.Process), t.Process.Uid, false));
            return 0;
        }
        return -Errno.ESRCH;
    }

    // Another process's thread by tid, from its published thread ids (read without its lock: a
    // stale answer only means the signal goes to a thread that just exited, which drops it).
    private static UserThread? FindThread(UserProcess p, int tid)
    {
        UserThread[] threads = p.ThreadSnapshot;
        for (int i = 0; i < threads.Length; i++) if (threads[i].Tid == tid) return threads[i];
        return null;
    }

    public static long DoKill(UserThread t, int pid, int signal)
    {
        if (signal < 0 || signal > Signal.Max) return -Errno.EINVAL;
        Namespaces.PidNamespace ns = t.Process.PidNs;
        if (pid > 0)
        {
            int global = ns.GlobalOf(pid);
            return global == 0 ? -Errno.ESRCH : ToOne(t, global, signal, SignalInfo.SI_USER);
        }
        if (pid == int.MinValue) return -Errno.ESRCH;
        int group = pid == 0 ? t.Process.ProcessGroup : pid == -1 ? 0 : ns.GlobalOf(-pid);
        if (pid < -1 && group == 0) return -Errno.ESRCH;
        UserProcess[] all = t.Process.Host.Table.Snapshot;
        bool found = false, allowed = false;
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess target = all[i];
            // kill -1: every process the caller's namespace has a number for, but its init and the caller.
            if (pid == -1 ? (ns.NumberOf(target) <= 1 || target == t.Process) : target.ProcessGroup != group) continue;
            found = true;
            if (!MaySignal(t.Process, target)) continue;
            allowed = true;
            Send(t, target, signal, SignalInfo.SI_USER);
        }
        if (!found) return -Errno.ESRCH;
        return allowed ? 0 : -Errno.EPERM;
    }

    private static long ToOne(UserThread t, int pid, int signal, int code)
    {
        if (signal < 0 || signal > Signal.Max) return -Errno.EINVAL;
        UserProcess? target = t.Process.Host.Table.Find(pid);
        if (target == null) return -Errno.ESRCH;
        if (!MaySignal(t.Process, target)) return -Errno.EPERM;
        Send(t, target, signal, code);
        return 0;
    }

    private static bool MaySignal(UserProcess from, UserProcess to)
        => from.Euid == 0 || from.Uid == to.Uid || from.Uid == to.Suid || from.Euid == to.Uid || from.Euid == to.Suid;

    private static void Send(UserThread t, UserProcess target, int signal, int code)
    {
        if (signal == 0 || target.Exited) return;
        if (target == t.Process)
        {
            UserThread? self = (t.SignalMask & (1UL << (signal - 1))) == 0 ? t : target.SignalTarget(signal);
            SignalDelivery.Raise(self ?? t, signal, code, t.Process.OwnPid, t.Process.Uid);
        }
        else
        {
            t.Process.Host.Scheduler.Send(target.MainThread, new SignalMessage(signal, code, target.PidNs.NumberOf(t.Process), t.Process.Uid, true));
        }
    }
}

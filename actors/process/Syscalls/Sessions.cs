// setpgid(2), getpgid(2), getpgrp(2), setsid(2), getsid(2). setpgid moves
// the caller or one of its children (a job-control shell moves each new
// child itself, so a pipeline's group exists before its first member can be
// reaped): -ESRCH for another process, -EPERM for a child in another session,
// a session leader, or a group not in the session, -EACCES for a child that
// has exec'd. getpgid and getsid take any live pid (-ESRCH otherwise).
// setsid fails with -EPERM for a process-group leader, as POSIX requires.
// Every id is a number in the caller's PID namespace: a group or session led
// from outside it reads as 0, as on Linux.
namespace Kevlar.Process.Syscalls;

public static class Sessions
{
    public static long Getpgrp(UserThread t, in SyscallArgs a) => t.Process.PidNs.NumberOfGlobal(t.Process.ProcessGroup);

    public static long Getpgid(UserThread t, in SyscallArgs a)
    {
        UserProcess? p = Named(t, a.Int(0));
        return p == null ? -Errno.ESRCH : t.Process.PidNs.NumberOfGlobal(p.ProcessGroup);
    }

    public static long Getsid(UserThread t, in SyscallArgs a)
    {
        UserProcess? p = Named(t, a.Int(0));
        return p == null ? -Errno.ESRCH : t.Process.PidNs.NumberOfGlobal(p.Session);
    }

    // The caller for 0, else the live process with that pid (a zombie counts, as on Linux).
    private static UserProcess? Named(UserThread t, int pid)
    {
        if (pid == 0) return t.Process;
        if (pid < 0) return null;
        int global = t.Process.PidNs.GlobalOf(pid);
        if (global == t.Process.Pid) return t.Process;
        UserProcess? p = global == 0 ? null : t.Process.Host.Table.Find(global);
        return p == null || p.Reaped ? null : p;
    }

    public static long Setpgid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        int pid = a.Int(0), pgid = a.Int(1);
        if (pgid < 0) return -Errno.EINVAL;
        UserProcess? child = null;
        if (pid != 0 && pid != p.OwnPid)
        {
            int global = p.PidNs.GlobalOf(pid);
            for (int i = 0; i < p.Children.Count && child == null && global != 0; i++)
                if (p.Children[i].Pid == global) child = p.Children[i];
            if (child == null) return -Errno.ESRCH;
            if (child.Session != p.Session) return -Errno.EPERM;
            if (child.HasExeced) return -Errno.EACCES;
        }
        UserProcess moved = child ?? p;
        if (moved.Session == moved.Pid) return -Errno.EPERM; // a session leader cannot move
        int target = pgid == 0 ? moved.Pid : p.PidNs.GlobalOf(pgid);
        if (target != moved.Pid && (target == 0 || (target != moved.ProcessGroup && !GroupInSession(p, target)))) return -Errno.EPERM;
        moved.ProcessGroup = target;
        return 0;
    }

    // Whether a process group with id <paramref name="group"/> exists in the caller's session.
    private static bool GroupInSession(UserProcess p, int group)
    {
        UserProcess[] all = p.Host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
            if (all[i].ProcessGroup == group && all[i].Session == p.Session && !all[i].Reaped) return true; // zombies count, as on Linux
        return false;
    }

    public static long Setsid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        if (p.ProcessGroup == p.Pid) return -Errno.EPERM;
        p.Session = p.Pid;
        p.ProcessGroup = p.Pid;
        p.ControllingTty = null; // a new session starts without a controlling terminal
        return p.OwnPid;
    }
}

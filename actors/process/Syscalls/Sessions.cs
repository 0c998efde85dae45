// setpgid(2), getpgid(2), getpgrp(2), setsid(2), getsid(2) for the calling
// process (other pids need the process table: -ESRCH). setsid fails with
// -EPERM for a process-group leader, as POSIX requires.
namespace Kevlar.Process.Syscalls;

public static class Sessions
{
    public static long Getpgrp(UserThread t, in SyscallArgs a) => t.Process.ProcessGroup;

    public static long Getpgid(UserThread t, in SyscallArgs a)
    {
        int pid = a.Int(0);
        if (pid < 0) return -Errno.ESRCH;
        return pid == 0 || pid == t.Process.Pid ? t.Process.ProcessGroup : -Errno.ESRCH;
    }

    public static long Getsid(UserThread t, in SyscallArgs a)
    {
        int pid = a.Int(0);
        return pid == 0 || pid == t.Process.Pid ? t.Process.Session : -Errno.ESRCH;
    }

    public static long Setpgid(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        int pid = a.Int(0), pgid = a.Int(1);
        if (pgid < 0) return -Errno.EINVAL;
        if (pid != 0 && pid != p.Pid) return -Errno.ESRCH;
        if (p.Session == p.Pid) return -Errno.EPERM; // a session leader cannot move
        int target = pgid == 0 ? p.Pid : pgid;
        if (target != p.Pid && target != p.ProcessGroup && !GroupInSession(p, target)) return -Errno.EPERM;
        p.ProcessGroup = target;
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
        return p.Pid;
    }
}

// waitid(2): like wait4 but chosen by idtype (P_ALL, P_PID, P_PGID), with
// WEXITED required among WEXITED/WSTOPPED/WCONTINUED, WNOWAIT leaving the
// child a zombie, and the result as a siginfo_t (si_signo SIGCHLD, si_code
// CLD_EXITED or CLD_KILLED, si_pid, si_uid, si_status). With WNOHANG and no
// child ready it zeroes si_pid and returns 0, as Linux does.
using System;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Async;

namespace Kevlar.Process.Syscalls;

public static class Waitid
{
    public const int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
    public const int WEXITED = 4, WSTOPPED = 2, WNOWAIT = 0x01000000;

    public static KernelTask<long> Invoke(UserThread t, SyscallArgs a) => Do(t, a.Int(0), a.Int(1), a.Pointer(2), a.Int(3));

    public static async KernelTask<long> Do(UserThread t, int idtype, int id, ulong infoAddress, int options)
    {
        const int Known = Wait4.WNOHANG | WSTOPPED | WEXITED | Wait4.WCONTINUED | WNOWAIT | Wait4.WNOTHREAD | Wait4.WALL | Wait4.WCLONE;
        if ((options & ~Known) != 0 || (options & (WEXITED | WSTOPPED | Wait4.WCONTINUED)) == 0) return -Errno.EINVAL;
        int pid;
        if (idtype == P_ALL) pid = -1;
        else if (idtype == P_PID && id > 0) pid = id;
        else if (idtype == P_PGID && id >= 0) pid = id == 0 ? 0 : -id;
        else return -Errno.EINVAL;
        UserProcess p = t.Process;
        pid = Wait4.KernelPid(p, pid);
        while (true)
        {
            UserProcess? zombie = (options & WEXITED) != 0 ? Wait4.FindZombie(p, pid) : null;
            if (zombie != null)
            {
                int r = WriteInfo(p, infoAddress, zombie, zombie.ExitWaitStatus);
                if (r != 0) return r;
                if ((options & WNOWAIT) == 0) p.Reap(zombie);
                return 0;
            }
            int state = p.FindState(pid, (options & WSTOPPED) != 0, (options & Wait4.WCONTINUED) != 0);
            if (state >= 0)
            {
                int r = WriteInfo(p, infoAddress, p.StateChildren[state], p.StateStatuses[state]);
                if (r != 0) return r;
                if ((options & WNOWAIT) == 0)
                {
                    p.StateChildren.RemoveAt(state);
                    p.StateStatuses.RemoveAt(state);
                }
                return 0;
            }
            if (!Wait4.HasChild(p, pid)) return -Errno.ECHILD;
            if ((options & Wait4.WNOHANG) != 0)
            {
                if (infoAddress != 0) return ClearInfo(p, infoAddress);
                return 0;
            }
            await Wait4.NextChildExit(t);
        }
    }

    // The child's state as waitid reports it: a SIGCHLD siginfo (CLD_EXITED, _KILLED, _STOPPED, _CONTINUED).
    private static int WriteInfo(UserProcess p, ulong address, UserProcess child, int waitStatus)
    {
        if (address == 0) return 0;
        var b = new byte[SignalInfo.Size];
        SignalInfo.ForChild(child, waitStatus, p.PidNs).Encode(b);
        return p.UserMemory.Write(address, b);
    }

    private static int ClearInfo(UserProcess p, ulong address) => p.UserMemory.Write(address, new byte[SignalInfo.Size]);
}

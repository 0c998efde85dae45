// prctl(2): PR_SET_NAME/PR_GET_NAME (the 16-byte thread name),
// PR_GET_DUMPABLE/PR_SET_DUMPABLE, PR_SET_PDEATHSIG/PR_GET_PDEATHSIG (a signal
// when the parent exits), PR_SET_CHILD_SUBREAPER/PR_GET_CHILD_SUBREAPER
// (orphans below come here instead of init), PR_SET_NO_NEW_PRIVS/GET (a flag
// kept and inherited; exec has no set-id programs to refuse). Other options:
// -EINVAL, as Linux answers an option it does not know.
using System;

namespace Kevlar.Process.Syscalls;

public static class Prctl
{
    public const int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16,
        PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        switch (a.Int(0))
        {
            case PR_SET_NAME:
            {
                var name = new byte[16];
                for (int i = 0; i < 15; i++)
                {
                    var one = new Span<byte>(name, i, 1);
                    int r = t.Process.UserMemory.Read(a.Pointer(1) + (ulong)i, one);
                    if (r != 0) return r;
                    if (one[0] == 0) break;
                }
                t.Name = name;
                return 0;
            }
            case PR_GET_NAME:
                return t.Process.UserMemory.Write(a.Pointer(1), t.Name);
            case PR_GET_DUMPABLE:
                return t.Process.Dumpable ? 1 : 0;
            case PR_SET_DUMPABLE:
                if (a.Long(1) != 0 && a.Long(1) != 1) return -Errno.EINVAL;
                t.Process.Dumpable = a.Long(1) == 1;
                return 0;
            case PR_SET_PDEATHSIG:
                if (a.Long(1) < 0 || a.Long(1) > Signals.Signal.Max) return -Errno.EINVAL;
                t.Process.ParentDeathSignal = (int)a.Long(1);
                return 0;
            case PR_GET_PDEATHSIG:
                return t.Process.UserMemory.WriteInt32(a.Pointer(1), t.Process.ParentDeathSignal);
            case PR_SET_CHILD_SUBREAPER:
                t.Process.ChildSubreaper = a.Long(1) != 0;
                return 0;
            case PR_GET_CHILD_SUBREAPER:
                return t.Process.UserMemory.WriteInt32(a.Pointer(1), t.Process.ChildSubreaper ? 1 : 0);
            case PR_SET_NO_NEW_PRIVS:
                if (a.Long(1) != 1 || a.Long(2) != 0 || a.Long(3) != 0 || a.Long(4) != 0) return -Errno.EINVAL;
                t.Process.NoNewPrivileges = true;
                return 0;
            case PR_GET_NO_NEW_PRIVS:
                if (a.Long(1) != 0 || a.Long(2) != 0 || a.Long(3) != 0 || a.Long(4) != 0) return -Errno.EINVAL;
                return t.Process.NoNewPrivileges ? 1 : 0;
            default:
                return -Errno.EINVAL;
        }
    }
}

// prctl(2): PR_SET_NAME/PR_GET_NAME (the 16-byte thread name) and
// PR_GET_DUMPABLE/PR_SET_DUMPABLE; other options are -EINVAL, as Linux
// answers an option it does not know.
using System;

namespace Kevlar.Process.Syscalls;

public static class Prctl
{
    public const int PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16;

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
            default:
                return -Errno.EINVAL;
        }
    }
}

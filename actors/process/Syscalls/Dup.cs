// dup(2), dup2(2), dup3(2): another fd for the same open file description.
// dup2 to itself returns it (after checking it is open); dup3 to itself is
// -EINVAL, and dup3 takes only O_CLOEXEC.
using Kevlar.Process.Files;

namespace Kevlar.Process.Syscalls;

public static class Dup
{
    public static long InvokeDup(UserThread t, in SyscallArgs a)
    {
        UserProcess p = t.Process;
        OpenFile? f = p.Files.Get(a.Fd(0));
        if (f == null) return -Errno.EBADF;
        return p.Files.Allocate(f, false, 0, Open.FdLimit(p));
    }

    public static long InvokeDup2(UserThread t, in SyscallArgs a)
    {
        int from = a.Fd(0), to = a.Fd(1);
        if (from == to) return t.Process.Files.Get(from) == null ? -Errno.EBADF : to;
        return DoDup3(t.Process, from, to, 0);
    }

    public static long InvokeDup3(UserThread t, in SyscallArgs a)
    {
        int from = a.Fd(0), to = a.Fd(1);
        if (from == to) return -Errno.EINVAL;
        return DoDup3(t.Process, from, to, a.Int(2));
    }

    private static long DoDup3(UserProcess p, int from, int to, int flags)
    {
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0) return -Errno.EINVAL;
        OpenFile? f = p.Files.Get(from);
        if (f == null) return -Errno.EBADF;
        if (to < 0 || to >= Open.FdLimit(p)) return -Errno.EBADF;
        p.Files.Install(to, f, (flags & OpenFlags.O_CLOEXEC) != 0);
        return to;
    }
}

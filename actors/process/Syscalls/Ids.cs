// getpid, getppid, gettid, getuid, geteuid, getgid, getegid: never fail. The
// ids are the caller's numbers in its PID namespace (a parent outside it is 0).
namespace Kevlar.Process.Syscalls;

public static class Ids
{
    public static long Getpid(UserThread t, in SyscallArgs a) => t.Process.OwnPid;
    public static long Getppid(UserThread t, in SyscallArgs a) => t.Process.ParentPid;
    public static long Gettid(UserThread t, in SyscallArgs a) => t.OwnTid;
    public static long Getuid(UserThread t, in SyscallArgs a) => t.Process.Uid;
    public static long Geteuid(UserThread t, in SyscallArgs a) => t.Process.Euid;
    public static long Getgid(UserThread t, in SyscallArgs a) => t.Process.Gid;
    public static long Getegid(UserThread t, in SyscallArgs a) => t.Process.Egid;
}

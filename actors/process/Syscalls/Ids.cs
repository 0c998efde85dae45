// getpid, getppid, gettid, getuid, geteuid, getgid, getegid: never fail.
namespace Kevlar.Process.Syscalls;

public static class Ids
{
    public static long Getpid(UserThread t, in SyscallArgs a) => t.Process.Pid;
    public static long Getppid(UserThread t, in SyscallArgs a) => t.Process.ParentPid;
    public static long Gettid(UserThread t, in SyscallArgs a) => t.Tid;
    public static long Getuid(UserThread t, in SyscallArgs a) => t.Process.Uid;
    public static long Geteuid(UserThread t, in SyscallArgs a) => t.Process.Euid;
    public static long Getgid(UserThread t, in SyscallArgs a) => t.Process.Gid;
    public static long Getegid(UserThread t, in SyscallArgs a) => t.Process.Egid;
}

// close(2): drops an fd; -EBADF when it is not open.
namespace Kevlar.Process.Syscalls;

public static class Close
{
    public static long Invoke(UserThread t, in SyscallArgs a) => t.Process.Files.Close(a.Fd(0));
}

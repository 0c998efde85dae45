// umask(2): sets the file-creation mask (low 9 bits), returns the old one.
namespace Kevlar.Process.Syscalls;

public static class Umask
{
    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        uint old = t.Process.Umask;
        t.Process.Umask = a.UInt(0) & 0x1FF;
        return old;
    }
}

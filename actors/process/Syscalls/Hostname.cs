// sethostname(2), setdomainname(2): the caller's UTS namespace's names.
// Linux's order: -EPERM without privilege (CAP_SYS_ADMIN: effective uid 0
// here), -EINVAL for a length below 0 or above 64, -EFAULT for a bad buffer.
// The bytes are taken as given (a NUL inside is kept, as Linux keeps it).
using Kevlar.Process.Namespaces;

namespace Kevlar.Process.Syscalls;

public static class Hostname
{
    public static long InvokeSetHostName(UserThread t, in SyscallArgs a) => Set(t, a.Pointer(0), a.Int(1), true);

    public static long InvokeSetDomainName(UserThread t, in SyscallArgs a) => Set(t, a.Pointer(0), a.Int(1), false);

    private static long Set(UserThread t, ulong buffer, int length, bool host)
    {
        if (t.Process.Euid != 0) return -Errno.EPERM;
        if (length < 0 || length > UtsNamespace.MaxName) return -Errno.EINVAL;
        var name = new byte[length];
        if (t.Process.UserMemory.Read(buffer, name) != 0) return -Errno.EFAULT;
        if (host) t.Uts.SetHostName(name);
        else t.Uts.SetDomainName(name);
        return 0;
    }
}

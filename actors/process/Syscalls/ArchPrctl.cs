// arch_prctl(2): the FS and GS bases (TLS). An address outside the canonical
// user half is -EPERM, as Linux answers; an unknown code is -EINVAL.
namespace Kevlar.Process.Syscalls;

public static class ArchPrctl
{
    public const int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
    private const ulong UserLimit = 0x0000_8000_0000_0000;

    public static long Invoke(UserThread t, in SyscallArgs a)
    {
        int code = a.Int(0);
        ulong value = a.Pointer(1);
        switch (code)
        {
            case ARCH_SET_FS:
                if (value >= UserLimit) return -Errno.EPERM;
                t.Registers.FsBase = value;
                return 0;
            case ARCH_SET_GS:
                if (value >= UserLimit) return -Errno.EPERM;
                t.Registers.GsBase = value;
                return 0;
            case ARCH_GET_FS:
                return t.Process.UserMemory.WriteUInt64(value, t.Registers.FsBase);
            case ARCH_GET_GS:
                return t.Process.UserMemory.WriteUInt64(value, t.Registers.GsBase);
            default:
                return -Errno.EINVAL;
        }
    }
}

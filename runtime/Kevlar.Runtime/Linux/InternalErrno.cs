// InternalErrno: the kernel-internal error values of Linux's
// include/linux/errno.h that never reach user space; Errno holds only the
// user-visible ones.
namespace Kevlar;

public static class InternalErrno
{
    /// <summary>A wait found a signal pending: the syscall is made again if the handler has
    /// SA_RESTART, else it returns -EINTR (the syscall table decides).</summary>
    public const int ERESTARTSYS = 512;
}

// SignalAction: struct kernel_sigaction as rt_sigaction sees it on x86_64:
// handler, flags, restorer, mask (32 bytes).
namespace Kevlar.Process.Signals;

public struct SignalAction
{
    public const ulong SIG_DFL = 0, SIG_IGN = 1;
    public const ulong SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_RESTORER = 0x04000000, SA_ONSTACK = 0x08000000,
        SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;

    public ulong Handler, Flags, Restorer, Mask;
}

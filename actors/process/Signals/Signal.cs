// Signal: Linux x86_64 signal numbers (asm/signal.h) and their default actions.
namespace Kevlar.Process.Signals;

public static class Signal
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
        SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16,
        SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24,
        SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30, SIGSYS = 31;

    /// <summary>Signals are 1..Max (SIGRTMAX = 64); from SIGRTMIN on they are real-time and queue.</summary>
    public const int Max = 64, SIGRTMIN = 32;

    /// <summary>SIGKILL and SIGSTOP: no mask, handler or ignore applies to them.</summary>
    public const ulong Unblockable = (1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1));
}

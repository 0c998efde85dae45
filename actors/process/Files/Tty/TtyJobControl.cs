// TtyJobControl: the caller's side of Linux's __tty_check_change, run when
// the terminal answered Background (the caller is in a background process
// group of its controlling terminal). The decision needs the caller's own
// state — its signal mask and dispositions, whether its group is orphaned —
// so it runs on the caller's CPU, after the terminal's answer.
using Kevlar.Process.Signals;

namespace Kevlar.Process.Files.Tty;

public static class TtyJobControl
{
    /// <summary>Applies job control for <paramref name="signal"/> (SIGTTIN for a read, SIGTTOU for
    /// a write or a mode change): 0 when the call may go on anyway (SIGTTOU ignored or blocked);
    /// -EIO when SIGTTIN is ignored or blocked, or the group is orphaned; else the signal goes to
    /// the caller's whole process group and the result is -ERESTARTSYS.</summary>
    public static long Stop(UserThread t, int signal)
    {
        UserProcess p = t.Process;
        bool ignored = (t.SignalMask & (1UL << (signal - 1))) != 0
            || p.SignalActions.Get(signal).Handler == SignalAction.SIG_IGN;
        if (ignored) return signal == Signal.SIGTTIN ? -Errno.EIO : 0;
        if (p.InOrphanedProcessGroup()) return -Errno.EIO;
        UserProcess[] all = p.Host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess member = all[i];
            if (member.ProcessGroup != p.ProcessGroup || member.Exited) continue;
            if (member == p) SignalDelivery.Raise(t, signal, SignalInfo.SI_KERNEL, 0, 0);
            else p.Host.Scheduler.Send(member.MainThread, new SignalMessage(signal, SignalInfo.SI_KERNEL, 0, 0, true));
        }
        return -InternalErrno.ERESTARTSYS;
    }
}

// SignalDelivery: what happens when a signal reaches a thread, and running
// handlers. Raise records the signal (standard signals do not queue: a
// second one while pending is merged) and, when it is not blocked, acts at
// once if its action is the default (terminate, stop, or ignore) or
// interrupts a blocking syscall so a handler can run. SIGCONT continues a
// stopped process as it is sent. DeliverPending runs just before the thread
// returns to user mode: it builds a signal frame for each deliverable signal
// that has a handler. No core file is written (RLIMIT_CORE is 0),
// so the core flag of the wait status stays clear. Everything here runs on
// the thread's CPU, inside its handlers.
namespace Kevlar.Process.Signals;

public static class SignalDelivery
{
    /// <summary>Raises <paramref name="info"/>.Signal at <paramref name="t"/>.</summary>
    public static void Raise(UserThread t, in SignalInfo info)
    {
        int signal = info.Signal;
        if (t.HasExited || signal < 1 || signal > Signal.Max) return;
        ulong bit = 1UL << (signal - 1);
        // Init is unkillable from user space: a signal it has not caught does nothing to it
        // (Linux's SIGNAL_UNKILLABLE), SIGKILL included, unless it blocks it: a blocked signal is
        // never ignored (it stays pending for sigtimedwait, as BusyBox init waits for them).
        // Faults still end it (Fault, below). The init of another PID namespace is the same to
        // its own namespace, but SIGKILL and SIGSTOP from the kernel or from a namespace above
        // (si_pid 0: the sender has no number here) do reach it (Linux's sig_task_ignored).
        if (t.Process.OwnPid == 1 && t.Process.SignalActions.Get(signal).Handler == SignalAction.SIG_DFL
            && (t.SignalMask & bit) == 0
            && InitIgnores(signal, forced: t.Process.Pid != 1 && (info.Code == SignalInfo.SI_KERNEL || info.Pid == 0)))
            return;
        if (signal == Signal.SIGKILL)
        {
            t.ExitGroup(WaitStatus.Killed(signal, false));
            return;
        }
        SignalAction action = t.Process.SignalActions.Get(signal);
        // Job control acts when the signal is sent, whatever the mask (signal(7)): SIGCONT
        // continues a stopped process and discards pending stop signals; a stop signal
        // discards a pending SIGCONT. SIGCONT's default action is then only to continue.
        if (signal == Signal.SIGCONT) t.Process.Continue();
        else if (DefaultActionOf(signal) == DefaultAction.Stop) t.Process.DiscardPending(1UL << (Signal.SIGCONT - 1));
        if (signal == Signal.SIGSTOP)
        {
            t.Process.Stop(signal);
            return;
        }
        // An ignored signal vanishes unless it is blocked: a blocked one stays pending (sigpending
        // shows it) and is judged again when unblocked.
        bool ignored = action.Handler == SignalAction.SIG_IGN
            || (action.Handler == SignalAction.SIG_DFL && (DefaultActionOf(signal) == DefaultAction.Ignore || DefaultActionOf(signal) == DefaultAction.Continue));
        if (ignored && (t.SignalMask & bit) == 0) return;
        if (signal >= Signal.SIGRTMIN && (t.PendingSignals & bit) != 0)
        {
            t.QueueRealtime(in info); // real-time signals queue; standard ones merge
            t.Process.SignalBecamePending();
            return;
        }
        t.PendingSignals |= bit;
        t.PendingInfo[signal] = info;
        t.Process.SignalBecamePending(); // signalfd readers and pollers (Files/Events/SignalFdFile.cs)
        if ((t.SigwaitSet & bit) != 0 && t.WaitEvent != null)
            t.Process.Host.Scheduler.Send(t, new WakeMessage(t.WaitEvent, signal)); // rt_sigtimedwait takes it
        if ((t.SignalMask & bit) != 0) return;
        if (action.Handler == SignalAction.SIG_DFL)
        {
            DefaultAction d = DefaultActionOf(signal);
            if (d == DefaultAction.Terminate || d == DefaultAction.CoreDump) t.ExitGroup(WaitStatus.Killed(signal, false));
            if (d == DefaultAction.Stop)
            {
                t.PendingSignals &= ~bit;
                // Linux discards the terminal stop signals in an orphaned process group: no
                // job-control shell is left to continue it (signal(7)). SIGSTOP always stops.
                if (!t.Process.InOrphanedProcessGroup()) t.Process.Stop(signal);
            }
            return;
        }
        t.InterruptForSignal((action.Flags & SignalAction.SA_RESTART) != 0);
    }

    // Linux's sig_task_ignored for an init and a default action: only SIGKILL and SIGSTOP that are
    // forced (from the kernel or a namespace above; any still pending once unblocked) reach it.
    private static bool InitIgnores(int signal, bool forced)
        => !forced || (signal != Signal.SIGKILL && signal != Signal.SIGSTOP);

    public static void Raise(UserThread t, int signal, int code, int senderPid, uint senderUid)
    {
        var info = new SignalInfo { Signal = signal, Code = code, Pid = senderPid, Uid = senderUid };
        Raise(t, in info);
    }

    /// <summary>A fault in user mode (SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGTRAP): delivered to a
    /// handler if there is one and it is not blocked; otherwise the process dies of it, as
    /// Linux's force_sig does.</summary>
    public static void Fault(UserThread t, in SignalInfo info)
    {
        int signal = info.Signal;
        SignalAction action = t.Process.SignalActions.Get(signal);
        ulong bit = 1UL << (signal - 1);
        if (action.Handler == SignalAction.SIG_DFL || action.Handler == SignalAction.SIG_IGN || (t.SignalMask & bit) != 0)
        {
            t.ExitGroup(WaitStatus.Killed(signal, false));
            return;
        }
        t.PendingSignals |= bit;
        t.PendingInfo[signal] = info;
    }

    /// <summary>Takes the lowest pending signal of <paramref name="set"/> from <paramref name="t"/>
    /// (the next queued instance of a real-time one stays pending): false when none is.</summary>
    public static bool Dequeue(UserThread t, ulong set, out SignalInfo info)
    {
        info = default;
        ulong ready = t.PendingSignals & set;
        if (ready == 0) return false;
        int signal = 1;
        while ((ready & (1UL << (signal - 1))) == 0) signal++;
        info = t.PendingInfo[signal];
        if (!t.TakeQueuedRealtime(signal)) t.PendingSignals &= ~(1UL << (signal - 1));
        return true;
    }

    /// <summary>Whether a pending signal is not blocked (so returning to user mode must deliver it).</summary>
    public static bool HasDeliverable(UserThread t) => (t.PendingSignals & ~t.SignalMask) != 0;

    /// <summary>What an interrupted syscall does (Linux's arch_do_signal_or_restart): 1 when the
    /// first deliverable signal with a handler has SA_RESTART, 0 when it has not, -1 when no
    /// deliverable signal has a handler (a stop, say: the call is made again transparently).</summary>
    public static int RestartDecision(UserThread t)
    {
        for (int signal = 1; signal <= Signal.Max; signal++)
        {
            ulong bit = 1UL << (signal - 1);
            if ((t.PendingSignals & bit) == 0 || (t.SignalMask & bit) != 0) continue;
            SignalAction action = t.Process.SignalActions.Get(signal);
            if (action.Handler == SignalAction.SIG_DFL || action.Handler == SignalAction.SIG_IGN) continue;
            return (action.Flags & SignalAction.SA_RESTART) != 0 ? 1 : 0;
        }
        return -1;
    }

    /// <summary>Builds frames for every deliverable signal with a handler, lowest number first;
    /// the last one built runs first. False when the thread must not run now: it died (a frame
    /// could not be written, a default action killed it) or its process stopped.</summary>
    public static bool DeliverPending(UserThread t)
    {
        for (int signal = 1; signal <= Signal.Max && !t.HasExited; signal++)
        {
            ulong bit = 1UL << (signal - 1);
            if ((t.PendingSignals & bit) == 0 || (t.SignalMask & bit) != 0) continue;
            SignalAction action = t.Process.SignalActions.Get(signal);
            if (action.Handler == SignalAction.SIG_DFL)
            {
                DefaultAction d = DefaultActionOf(signal);
                t.PendingSignals &= ~bit;
                // An init gets no signal it does not catch: one left pending while it was blocked
                // is dropped now (get_signal's SIGNAL_UNKILLABLE); SIGKILL and SIGSTOP pending here
                // came from the kernel or from a namespace above.
                if (t.Process.OwnPid == 1 && InitIgnores(signal, forced: true)) continue;
                if (d == DefaultAction.Terminate || d == DefaultAction.CoreDump) t.ExitGroup(WaitStatus.Killed(signal, false));
                if (d == DefaultAction.Stop && (signal == Signal.SIGSTOP || !t.Process.InOrphanedProcessGroup()))
                {
                    t.Process.Stop(signal);
                    return false;
                }
                continue;
            }
            SignalInfo info = t.PendingInfo[signal];
            if (!t.TakeQueuedRealtime(signal)) t.PendingSignals &= ~bit;
            if (action.Handler == SignalAction.SIG_IGN) continue;
            ulong savedMask = t.TakeMaskToRestore();
            if ((action.Flags & SignalAction.SA_RESTORER) == 0 || !SignalFrame.Build(t, in action, in info, savedMask))
            {
                t.ExitGroup(WaitStatus.Killed(Signal.SIGSEGV, false));
                return false;
            }
            ulong block = action.Mask | ((action.Flags & SignalAction.SA_NODEFER) != 0 ? 0 : bit);
            t.SignalMask = (t.SignalMask | block) & ~Signal.Unblockable;
            if ((action.Flags & SignalAction.SA_RESETHAND) != 0) t.Process.SignalActions.Set(signal, default);
        }
        return !t.HasExited;
    }

    public enum DefaultAction { Terminate, CoreDump, Ignore, Stop, Continue }

    /// <summary>signal(7)'s table of default actions.</summary>
    public static DefaultAction DefaultActionOf(int signal) => signal switch
    {
        Signal.SIGCHLD or Signal.SIGURG or Signal.SIGWINCH => DefaultAction.Ignore,
        Signal.SIGSTOP or Signal.SIGTSTP or Signal.SIGTTIN or Signal.SIGTTOU => DefaultAction.Stop,
        Signal.SIGCONT => DefaultAction.Continue,
        Signal.SIGQUIT or Signal.SIGILL or Signal.SIGTRAP or Signal.SIGABRT or Signal.SIGBUS or Signal.SIGFPE
            or Signal.SIGSEGV or Signal.SIGXCPU or Signal.SIGXFSZ or Signal.SIGSYS => DefaultAction.CoreDump,
        _ => DefaultAction.Terminate,
    };
}

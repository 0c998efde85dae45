// Terminal.Ioctl: the tty ioctls that touch the tty's own state, run on its
// CPU (drivers/tty/tty_io.c, tty_jobctrl.c and n_tty_ioctl as Linux answers
// them). The caller's side (TtyFile.IoctlAsync) copies arguments from user
// memory before and results back after, and applies job control when the
// answer is Background.
using System;
using Kevlar.Process.Signals;
using Kevlar.Vfs.Tty;

namespace Kevlar.Process.Files.Tty;

public sealed partial class Terminal
{
    /// <summary>Runs one ioctl (see TtyIoctlRequest): 0 or a value, -errno, or Background.</summary>
    internal long Ioctl(TtyIoctlRequest r)
    {
        if (r.Generation >= 0 && r.Generation != _generation) return r.Request == TtyFile.TIOCSPGRP ? -Errno.ENOTTY : -Errno.EIO; // hung_up_tty_ioctl
        switch (r.Request)
        {
            case TtyFile.TCGETS:
                r.Out = new byte[Termios.Size];
                _termios.Encode(r.Out);
                return 0;
            case TtyFile.TCSETS:
            case TtyFile.TCSETSW:
            case TtyFile.TCSETSF:
                return SetTermios(r);
            case TtyFile.TIOCGWINSZ:
                r.Out = new byte[WindowSize.Size];
                _ldisc.WindowSize.Encode(r.Out);
                return 0;
            case TtyFile.TIOCSWINSZ:
                return SetWindowSize(r);
            case TtyFile.FIONREAD:
                return _ldisc.Available;
            case TtyFile.TIOCOUTQ:
                return 0;
            case TtyFile.TCFLSH:
                return Flush(r);
            case TtyFile.TCXONC:
                if (r.Argument < 0 || r.Argument > 3) return -Errno.EINVAL;
                return Checked(r);
            case TtyFile.TIOCGPGRP:
                return IsControlling(r) ? _pgrp : -Errno.ENOTTY;
            case TtyFile.TIOCSPGRP:
                return SetForegroundGroup(r);
            case TtyFile.TIOCGSID:
                return IsControlling(r) && _session != 0 ? _session : -Errno.ENOTTY;
            case TtyFile.TIOCSCTTY:
                return SetControlling(r);
            case TtyFile.TIOCNOTTY:
                if (!IsControlling(r)) return -Errno.ENOTTY;
                if (r.Pid == r.Session) Disassociate();
                return 0;
        }
        return -Errno.ENOTTY;
    }

    // Whether the caller's controlling terminal is this one (its session is the one this controls).
    private bool IsControlling(TtyIoctlRequest r) => _session != 0 && r.Session == _session;

    // Linux's tty_check_change for changes from the caller: Background when it must first be
    // stopped (or refused) by job control, else 0.
    private long Checked(TtyIoctlRequest r)
        => !r.IgnoreJobControl && InBackground(r.Session, r.ProcessGroup) ? Background : 0;

    // TCSETS, TCSETSW (output is written synchronously: nothing to drain), TCSETSF (flush input).
    private long SetTermios(TtyIoctlRequest r)
    {
        if (Checked(r) != 0) return Background;
        if (!Termios.TryDecode(r.In, out Termios? t)) return -Errno.EFAULT;
        if (r.Request == TtyFile.TCSETSF) _ldisc.FlushInput();
        _termios = t!.Clone();
        _ldisc.SetTermios(t);
        _readWaiters.Wake(Scheduler!, PollEvents.POLLIN | PollEvents.POLLRDNORM);
        if (!_ldisc.OutputStopped) _writeWaiters.Wake(Scheduler!, PollEvents.POLLOUT | PollEvents.POLLWRNORM);
        return 0;
    }

    // TIOCSWINSZ: a new size sends SIGWINCH to the foreground group (Linux's tty_do_resize).
    private long SetWindowSize(TtyIoctlRequest r)
    {
        if (!WindowSize.TryDecode(r.In, out WindowSize size)) return -Errno.EFAULT;
        if (size.Equals(_ldisc.WindowSize)) return 0;
        _ldisc.WindowSize = size;
        SignalGroup(_pgrp, Signal.SIGWINCH);
        return 0;
    }

    // TCFLSH: TCIFLUSH (0) and TCIOFLUSH (2) drop queued input; output is never held.
    private long Flush(TtyIoctlRequest r)
    {
        if (r.Argument < 0 || r.Argument > 2) return -Errno.EINVAL;
        if (Checked(r) != 0) return Background;
        if (r.Argument != 1)
        {
            _ldisc.FlushInput();
            _pendingStart = _pendingEnd = 0;
        }
        return 0;
    }

    // TIOCSPGRP (tiocspgrp): only on the caller's controlling tty, from its foreground (or with
    // SIGTTOU ignored); the group must exist in the caller's session.
    private long SetForegroundGroup(TtyIoctlRequest r)
    {
        if (IsControlling(r) && Checked(r) != 0) return Background;
        if (!IsControlling(r)) return -Errno.ENOTTY;
        long pgrp = r.Argument;
        if (pgrp < 0) return -Errno.EINVAL;
        int found = GroupSession((int)pgrp);
        if (found < 0) return -Errno.ESRCH;
        if (found != _session) return -Errno.EPERM;
        _pgrp = (int)pgrp;
        return 0;
    }

    // The session of a live process in group <paramref name="pgrp"/>, or -1 when there is none.
    private int GroupSession(int pgrp)
    {
        UserProcess[] all = _host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
            if (all[i].ProcessGroup == pgrp && !all[i].Reaped) return all[i].Session; // a zombie still holds its group, as on Linux
        return -1;
    }

    // TIOCSCTTY (tiocsctty): a session leader without a controlling tty takes this one if it is
    // free; a tty held by another session is taken only by root with argument 1.
    private long SetControlling(TtyIoctlRequest r)
    {
        bool leader = r.Pid == r.Session;
        if (leader && r.Session == _session) return 0;
        if (!leader || r.HasOtherControllingTty) return -Errno.EPERM;
        if (_session != 0 && !(r.Argument == 1 && r.Root)) return -Errno.EPERM;
        _session = r.Session;
        _pgrp = r.ProcessGroup;
        return 1;
    }
}

// Terminal: the actor that owns a tty (Linux's tty_struct) — its N_TTY line
// discipline, the session it is the controlling terminal of and that
// session's foreground process group, and the threads waiting on it. One
// exists today: the serial console, homed on CPU 0 where the console's input
// interrupt arrives. Its open files are TtyFile (ttyS0, /dev/tty) and
// ConsoleFile (/dev/console); requests are in TtyRequests.cs, ioctls in
// Terminal.Ioctl.cs.
//
// State (owned here; touched only in handlers and inline Execute on Home):
//   _ldisc                      input queue, termios, window size, output column.
//   _termios                    a copy of the modes, for the flags the owner acts on.
//   _session, _pgrp             the session this tty controls (0: none) and its
//                               foreground process group (0: none).
//   _readWaiters                readers and pollers waiting for input.
//   _writeWaiters               writers waiting for output to restart (STOP/START).
//   _pending, _pendingStart/End received bytes not yet given to the line
//                               discipline (its queue was full).
//   _lastInputNs                when the last byte arrived (VTIME's inter-byte timer).
//   _armed                      a console-input notification is outstanding.
//   _generation                 bumped by a hangup: descriptions opened before it are hung
//                               up (reads 0, writes -EIO, poll all ready, ioctls -EIO).
// Invariants:
//   1. _pgrp != 0 only while _session != 0.
//   2. Every change that may complete a read (input, a mode change) wakes every
//      read waiter; each asks again, so no wakeup is owed to a reader.
//   3. At most one input notification is outstanding (_armed); while none is,
//      _pending is full and the next read that frees room drains the device
//      and asks again — so input is never left in the device unnoticed.
//   4. Signals to process groups leave as SignalMessages to each member's main
//      thread; this actor never touches another process's state.
// Waits on: nothing (replies at once; waiting is the caller's FileWaiter).
using System;
using Kevlar.Process.Signals;
using Kevlar.Runtime.Devices;
using Kevlar.Runtime.Scheduling;
using Kevlar.Vfs.Tty;

namespace Kevlar.Process.Files.Tty;

public sealed partial class Terminal : FileOwner, IOutputSink
{
    public override string DiagnosticName => "tty";

    /// <summary>A request's answer meaning "the caller is in a background process group of its
    /// controlling terminal": the caller applies job control (TtyJobControl) and asks again.</summary>
    public const long Background = long.MinValue + 1;

    private readonly ProcessHost _host;
    private readonly IConsoleDevice _device;
    private readonly IConsoleInput _input;
    private readonly LineDiscipline _ldisc = new LineDiscipline();
    private Termios _termios = Termios.CreateDefault();
    private int _session, _pgrp;
    private readonly WaitQueue _readWaiters = new WaitQueue();
    private readonly WaitQueue _writeWaiters = new WaitQueue();
    private readonly byte[] _pending = new byte[LineDiscipline.BufferSize];
    private int _pendingStart, _pendingEnd;
    private ulong _lastInputNs;
    private bool _armed;
    // A pseudo-terminal whose master closed: reads find end of file, writes -EIO (tty_hung_up).
    private bool _hungUp;
    private int _generation;
    private readonly InputWaiting _inputWaiting = new InputWaiting();

    private sealed class InputWaiting : Message
    {
    }

    private sealed class Start : Message
    {
    }

    /// <summary>A terminal writing to <paramref name="device"/> (bytes exactly as given: output
    /// processing is the line discipline's) and reading <paramref name="input"/>. Register it, then
    /// call <see cref="Begin"/>.</summary>
    public Terminal(ProcessHost host, IConsoleDevice device, IConsoleInput input)
    {
        _host = host;
        _device = device;
        _input = input;
    }

    /// <summary>Starts listening for input (a message to itself: the request must come from its handler).</summary>
    public void Begin() => _host.Scheduler.Send(this, new Start());

    /// <summary>The host it belongs to (immutable).</summary>
    internal ProcessHost HostOf => _host;

    /// <summary>The session this tty controls (0: none); read from other CPUs only as a hint.</summary>
    public int Session => _session;

    /// <summary>The foreground process group (0: none); a hint off the home CPU.</summary>
    public int ForegroundGroup => _pgrp;

    /// <summary>The hangup generation: a description records it at open (read off the home CPU
    /// as a hint: an open racing a hangup may land either side of it, as on Linux).</summary>
    public int Generation => System.Threading.Volatile.Read(ref _generation);

    /// <summary>A pseudo-terminal's slave (its input and output are a PtyLink), not the console.</summary>
    private bool IsPty => _input is PtyLink;

    // The description behind r was opened before the last hangup (or the pty is gone).
    private bool HungUpFor(TtyRequest r) => _hungUp || (r.Generation >= 0 && r.Generation != _generation);

    /// <summary>The line discipline, for tests on the home CPU.</summary>
    internal LineDiscipline LineDiscipline => _ldisc;

    void IOutputSink.Write(ReadOnlySpan<byte> bytes) => _device.Write(bytes);

    protected internal override void Receive(Message m)
    {
        if (m == _inputWaiting)
        {
            _armed = false;
            DrainInput();
            return;
        }
        if (m is Start)
        {
            Arm();
            return;
        }
        var ptyClosed = m as PtyClosedMessage;
        if (ptyClosed != null)
        {
            PtyClosedMessage.Apply(ptyClosed.Link, ptyClosed.Master);
            return;
        }
        var ended = m as TtySessionEndedMessage;
        if (ended != null)
        {
            if (ended.Session != _session) return;
            if (IsPty) Disassociate();
            else HangUpSession();
            return;
        }
        base.Receive(m);
    }

    private void Arm()
    {
        if (_armed) return;
        _armed = true;
        _input.NotifyWhenReadable(this, _inputWaiting);
    }

    // Takes what the device holds into _pending, feeds it, and asks for the next notification
    // unless _pending is full (then a read that frees room calls this again: invariant 3).
    private void DrainInput()
    {
        while (true)
        {
            if (_pendingStart > 0)
            {
                Array.Copy(_pending, _pendingStart, _pending, 0, _pendingEnd - _pendingStart);
                _pendingEnd -= _pendingStart;
                _pendingStart = 0;
            }
            int n = _pendingEnd < _pending.Length ? _input.Take(new Span<byte>(_pending, _pendingEnd, _pending.Length - _pendingEnd)) : 0;
            _pendingEnd += n;
            bool fed = Feed();
            if (n == 0 || !fed) break;
        }
        if (_pendingEnd < _pending.Length) Arm();
    }

    // Gives _pending to the line discipline: ISIG signals to the foreground group, readers woken.
    // False when the input queue is full and bytes stay pending.
    private bool Feed()
    {
        bool consumed = false, full = false;
        while (_pendingStart < _pendingEnd)
        {
            InputResult r = _ldisc.Input(new ReadOnlySpan<byte>(_pending, _pendingStart, _pendingEnd - _pendingStart), this);
            _pendingStart += r.Consumed;
            if (r.Consumed > 0) consumed = true;
            if (r.Signal != 0)
            {
                SignalGroup(_pgrp, r.Signal);
                continue;
            }
            if (_pendingStart < _pendingEnd) full = true;
            break;
        }
        if (consumed)
        {
            _lastInputNs = _host.Clock.MonotonicNanoseconds;
            _readWaiters.Wake(Scheduler!, PollEvents.POLLIN | PollEvents.POLLRDNORM);
            if (!_ldisc.OutputStopped) _writeWaiters.Wake(Scheduler!, PollEvents.POLLOUT | PollEvents.POLLWRNORM);
        }
        return !full;
    }

    /// <summary>Sends <paramref name="signal"/> to every live process of group <paramref name="pgrp"/>
    /// (nothing for 0), as a message to each main thread (invariant 4).</summary>
    internal void SignalGroup(int pgrp, int signal)
    {
        if (pgrp == 0) return;
        UserProcess[] all = _host.Table.Snapshot;
        for (int i = 0; i < all.Length; i++)
        {
            UserProcess p = all[i];
            if (p.ProcessGroup != pgrp || p.Exited) continue;
            _host.Scheduler.Send(p.MainThread, new SignalMessage(signal, SignalInfo.SI_KERNEL, 0, 0, true));
        }
    }

    // The session lets go of this tty (its leader exited, or TIOCNOTTY from the leader): the
    // foreground group hears SIGHUP and SIGCONT, and the tty is free for another session.
    private void Disassociate()
    {
        SignalGroup(_pgrp, Signal.SIGHUP);
        SignalGroup(_pgrp, Signal.SIGCONT);
        _session = 0;
        _pgrp = 0;
    }

    // The serial console's session leader exited (Linux's tty_vhangup_session): every
    // description open so far is hung up, the foreground group hears SIGHUP, and the tty is
    // free; a process that opens it again (init's next shell) gets a working description.
    private void HangUpSession()
    {
        System.Threading.Volatile.Write(ref _generation, _generation + 1);
        SignalGroup(_pgrp, Signal.SIGHUP);
        _session = 0;
        _pgrp = 0;
        _readWaiters.Wake(Scheduler!, PollEvents.POLLIN | PollEvents.POLLHUP);
        _writeWaiters.Wake(Scheduler!, PollEvents.POLLOUT | PollEvents.POLLHUP);
    }

    /// <summary>A pty's master closed: the session hears SIGHUP and SIGCONT, waiting readers find
    /// end of file and writers -EIO, and the tty is no session's any more (tty_vhangup).</summary>
    internal void HangUp()
    {
        _hungUp = true;
        Disassociate();
        _readWaiters.Wake(Scheduler!, PollEvents.POLLIN | PollEvents.POLLHUP);
        _writeWaiters.Wake(Scheduler!, PollEvents.POLLOUT | PollEvents.POLLHUP);
    }

    // Whether a caller of session/pgrp is in a background group of this, its controlling tty.
    private bool InBackground(int session, int pgrp) => _session != 0 && session == _session && _pgrp != 0 && pgrp != _pgrp;

    /// <summary>read(2): see TtyReadRequest.</summary>
    internal long Read(TtyReadRequest r)
    {
        if (!r.IgnoreJobControl && InBackground(r.Session, r.ProcessGroup)) return Background;
        if (r.Generation >= 0 && r.Generation != _generation) return 0;
        if (_hungUp && !_ldisc.ReadReady) return 0;
        ulong now = _host.Clock.MonotonicNanoseconds;
        int available = _ldisc.Available;
        ulong lastRef = Math.Max(r.StartNs, _lastInputNs);
        bool complete = _ldisc.NonCanonicalReadComplete(available, r.Data.Length, now - r.StartNs, now - lastRef);
        if (!complete && r.Wait)
        {
            r.Waiter = new ThreadWaiter(r.Thread!, PollEvents.POLLIN);
            _readWaiters.Add(r.Waiter);
            r.Deadline = ReadDeadline(r.StartNs, lastRef, available);
            return FileRequest.WouldBlock;
        }
        int n = _ldisc.Read(r.Data);
        if (n == -Errno.EAGAIN) n = complete ? 0 : -Errno.EAGAIN;
        if (n > 0 && _pendingEnd > _pendingStart) DrainInput();
        return n;
    }

    // When a waiting non-canonical read must be asked again though no input came: VTIME after
    // the read began (VMIN 0) or after the last byte (VMIN > 0, once a byte is there); 0: never.
    private ulong ReadDeadline(ulong start, ulong lastRef, int available)
    {
        ulong timeout = _ldisc.ReadTimeoutNanoseconds;
        if (_ldisc.IsCanonical || timeout == 0) return 0;
        if (_termios.Cc[Termios.VMIN] == 0) return start + timeout;
        return available > 0 ? lastRef + timeout : 0;
    }

    /// <summary>write(2): see TtyWriteRequest.</summary>
    internal long Write(TtyWriteRequest r)
    {
        if (HungUpFor(r)) return -Errno.EIO;
        if (!r.IgnoreJobControl && (_termios.Lflag & Termios.TOSTOP) != 0 && InBackground(r.Session, r.ProcessGroup))
            return Background;
        if (_ldisc.OutputStopped)
        {
            if (!r.Wait) return -Errno.EAGAIN;
            r.Waiter = new ThreadWaiter(r.Thread!, PollEvents.POLLOUT);
            _writeWaiters.Add(r.Waiter);
            return FileRequest.WouldBlock;
        }
        _ldisc.ProcessOutput(r.Data, this);
        return r.Data.Length;
    }

    /// <summary>poll: POLLIN when a read would complete now (ReadReady), POLLOUT always; registers
    /// <paramref name="waiter"/> when none of <paramref name="events"/> holds.</summary>
    internal int Poll(int events, FileWaiter? waiter, int generation = -1)
    {
        if (generation >= 0 && generation != _generation)
            return PollEvents.POLLIN | PollEvents.POLLOUT | PollEvents.POLLERR | PollEvents.POLLHUP | PollEvents.POLLRDNORM | PollEvents.POLLWRNORM;
        int mask = PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        if (_ldisc.ReadReady) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        if (_hungUp) mask |= PollEvents.POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLHUP;
        if ((mask & (events | PollEvents.Always)) == 0 && waiter != null) _readWaiters.Add(waiter);
        return mask;
    }

    /// <summary>open: see TtyAttachRequest.</summary>
    internal long Attach(TtyAttachRequest r)
    {
        if (r.RequireControlling) return r.Session == _session && _session != 0 ? 0 : -Errno.ENXIO;
        if (r.Acquire && _session == 0)
        {
            _session = r.Session;
            _pgrp = r.ProcessGroup;
            return 1;
        }
        return 0;
    }
}

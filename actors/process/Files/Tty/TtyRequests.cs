// The requests a tty's open files send its Terminal (see FileRequest for the
// protocol). Each carries the caller's session and process group as they were
// when the syscall began (owned by the caller's CPU, copied here so the
// terminal never reads another process's state for its decisions):
//   TtyReadRequest   — take up to Data.Length bytes. Reply: count (0 at EOF,
//     or a VTIME timeout), -EAGAIN (O_NONBLOCK), WouldBlock with Waiter (and
//     Deadline, when VTIME applies) registered, or Background.
//   TtyWriteRequest  — write Data through OPOST. Reply: count, -EAGAIN,
//     WouldBlock (output stopped by STOP), or Background (TOSTOP).
//   TtyPollRequest   — poll events; registers Waiter if none asked holds.
//   TtyIoctlRequest  — one ioctl (Terminal.Ioctl.cs). Reply: 0 or a value with
//     Out filled, -errno, or Background.
//   TtyAttachRequest — open: a session leader acquires the tty as its
//     controlling terminal if it is free (reply 1 when it did, else 0), or
//     /dev/tty checks the caller still controls it (0 or -ENXIO).
//   TtySessionEndedMessage — a session leader with this controlling tty
//     exited. No reply.
// Background: the caller is in a background process group of its controlling
// terminal; it applies job control (TtyJobControl) and asks again with
// IgnoreJobControl when the signal is ignored. Peer death: a reply to an
// exited thread is dropped (bytes read for it are lost with it, as on Linux).
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files.Tty;

/// <summary>What every tty request knows of its caller.</summary>
public abstract class TtyRequest : FileRequest
{
    protected readonly Terminal Tty;
    public readonly int Session, ProcessGroup;
    /// <summary>Skip the background check (the caller ignores or blocks the job-control signal).</summary>
    public bool IgnoreJobControl;
    /// <summary>The hangup generation of the description asking (Terminal.Generation when it was
    /// opened); an older one is hung up. -1: not asked through a description.</summary>
    public int Generation = -1;

    protected TtyRequest(Terminal tty, UserProcess caller)
    {
        Tty = tty;
        Session = caller.Session;
        ProcessGroup = caller.ProcessGroup;
    }
}

public sealed class TtyReadRequest : TtyRequest
{
    public readonly byte[] Data;
    public readonly bool Wait;
    /// <summary>When the read(2) began (monotonic ns): VTIME counts from here.</summary>
    public readonly ulong StartNs;
    public ThreadWaiter? Waiter;
    /// <summary>With WouldBlock: when to ask again though nothing arrived (monotonic ns; 0: never).</summary>
    public ulong Deadline;

    public TtyReadRequest(Terminal tty, UserProcess caller, int length, bool wait, ulong startNs) : base(tty, caller)
    {
        Data = new byte[length];
        Wait = wait;
        StartNs = startNs;
    }

    public override long Execute() => Tty.Read(this);
}

public sealed class TtyWriteRequest : TtyRequest
{
    public readonly byte[] Data;
    public readonly bool Wait;
    public ThreadWaiter? Waiter;

    public TtyWriteRequest(Terminal tty, UserProcess caller, byte[] data, bool wait) : base(tty, caller)
    {
        Data = data;
        Wait = wait;
    }

    public override long Execute() => Tty.Write(this);
}

public sealed class TtyPollRequest : TtyRequest
{
    private readonly int _events;
    private readonly FileWaiter? _waiter;

    public TtyPollRequest(Terminal tty, UserProcess caller, int events, FileWaiter? waiter) : base(tty, caller)
    {
        _events = events;
        _waiter = waiter;
    }

    public override long Execute() => Tty.Poll(_events, _waiter, Generation);
}

public sealed class TtyIoctlRequest : TtyRequest
{
    public readonly uint Request;
    /// <summary>The argument as a value (TCFLSH, TCXONC, TIOCSCTTY) or the int it points at (TIOCSPGRP).</summary>
    public readonly long Argument;
    /// <summary>The struct copied in (termios, winsize), or null.</summary>
    public readonly byte[]? In;
    /// <summary>The struct to copy out (termios, winsize), set by the terminal.</summary>
    public byte[]? Out;
    public readonly int Pid;
    public readonly bool Root;
    /// <summary>The caller has a controlling terminal other than this one (TIOCSCTTY's -EPERM).</summary>
    public readonly bool HasOtherControllingTty;

    public TtyIoctlRequest(Terminal tty, UserProcess caller, uint request, long argument, byte[]? input) : base(tty, caller)
    {
        Request = request;
        Argument = argument;
        In = input;
        Pid = caller.Pid;
        Root = caller.Euid == 0;
        HasOtherControllingTty = caller.ControllingTty != null && caller.ControllingTty != tty;
    }

    public override long Execute() => Tty.Ioctl(this);
}

public sealed class TtyAttachRequest : TtyRequest
{
    public readonly bool Acquire, RequireControlling;

    public TtyAttachRequest(Terminal tty, UserProcess caller, bool acquire, bool requireControlling) : base(tty, caller)
    {
        Acquire = acquire;
        RequireControlling = requireControlling;
    }

    public override long Execute() => Tty.Attach(this);
}

public sealed class TtySessionEndedMessage : Message
{
    public readonly int Session;

    public TtySessionEndedMessage(int session) { Session = session; }
}

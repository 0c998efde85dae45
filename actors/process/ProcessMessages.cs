// Messages between processes (each to a process's main thread, an actor):
//   ChildExitedMessage — a child's exit report: the child is now a zombie with
//     its final wait status. No reply. If the receiver has exited it forwards
//     the report to init, so no exit is lost.
//   ChildStateMessage — a child stopped or continued (job control). No reply.
//   AdoptMessage — a dying parent hands an orphan to init, as a zombie when it
//     had the orphan's exit report. No reply; init ignores one it knows or reaped.
//   SignalMessage — a signal sent by kill/tkill/tgkill from any CPU. No reply;
//     the sender already checked permission and existence.
//   TimerMessage — a sleep's deadline passed (from the timer service, on the
//     thread's own CPU). Dropped when the sleep was interrupted meanwhile.
//   RootMovedMessage — pivot_root moved the root this process's root or working
//     directory was; it takes the new one if it still uses the old. No reply.
//   WakeMessage — FUTEX_WAKE chose this waiter, or a child a waiting wait4
//     cares about exited. Dropped when the wait already ended (timeout, signal).
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process;

public sealed class ChildExitedMessage : Message
{
    public readonly UserProcess Child;

    public ChildExitedMessage(UserProcess child) { Child = child; }
}

public sealed class AdoptMessage : Message
{
    public readonly UserProcess Child;
    /// <summary>The dying parent had the child's exit report: it comes as a zombie.</summary>
    public readonly bool Zombie;

    public AdoptMessage(UserProcess child, bool zombie) { Child = child; Zombie = zombie; }
}

public sealed class SignalMessage : Message
{
    public readonly int Signal;
    public readonly int Code;
    public readonly int SenderPid;
    public readonly uint SenderUid;
    /// <summary>kill (to the process: any thread not blocking it takes it) rather than tkill/tgkill.</summary>
    public readonly bool ToProcess;

    public SignalMessage(int signal, int code, int senderPid, uint senderUid, bool toProcess)
    {
        Signal = signal;
        Code = code;
        SenderPid = senderPid;
        SenderUid = senderUid;
        ToProcess = toProcess;
    }
}

/// <summary>A deadline passed (sent by the timer service): completes the event a sleep waits on,
/// if the thread still waits on it.</summary>
public sealed class TimerMessage : Message
{
    public readonly Kevlar.Runtime.Async.KernelEvent<int> Event;

    public TimerMessage(Kevlar.Runtime.Async.KernelEvent<int> e) { Event = e; }
}

/// <summary>Ends a thread's wait (a futex wake, a child's exit): completes the event the thread
/// awaits with <see cref="Value"/>, if it still waits on it (not timed out or interrupted).</summary>
public sealed class WakeMessage : Message
{
    public readonly Kevlar.Runtime.Async.KernelEvent<int> Event;
    public readonly int Value;

    public WakeMessage(Kevlar.Runtime.Async.KernelEvent<int> e, int value) { Event = e; Value = value; }
}

/// <summary>A child stopped (status (sig << 8) | 0x7f) or continued (0xffff).</summary>
public sealed class ChildStateMessage : Message
{
    public readonly UserProcess Child;
    public readonly int Status;

    public ChildStateMessage(UserProcess child, int status) { Child = child; Status = status; }
}

/// <summary>pivot_root replaced <see cref="OldRoot"/> by <see cref="NewRoot"/>.</summary>
public sealed class RootMovedMessage : Message
{
    public readonly Kevlar.Vfs.Mounts.Location OldRoot, NewRoot;

    public RootMovedMessage(Kevlar.Vfs.Mounts.Location oldRoot, Kevlar.Vfs.Mounts.Location newRoot) { OldRoot = oldRoot; NewRoot = newRoot; }
}

/// <summary>Another thread of the process raised a signal at this waiting thread: its wait is
/// interrupted if a signal with a handler is still deliverable when this arrives.</summary>
public sealed class SignalWakeMessage : Message
{
}

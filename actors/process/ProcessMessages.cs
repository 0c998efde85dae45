// Messages between processes (each to a process's main thread, an actor):
//   ChildExitedMessage — a child's exit report: the child is now a zombie with
//     its final wait status. No reply. If the receiver has exited it forwards
//     the report to init, so no exit is lost.
//   AdoptMessage — a dying parent hands an orphan to init. No reply.
//   SignalMessage — a signal sent by kill/tkill/tgkill from any CPU. No reply;
//     the sender already checked permission and existence.
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

    public AdoptMessage(UserProcess child) { Child = child; }
}

public sealed class SignalMessage : Message
{
    public readonly int Signal;
    public readonly int SenderPid;
    public readonly uint SenderUid;

    public SignalMessage(int signal, int senderPid, uint senderUid) { Signal = signal; SenderPid = senderPid; SenderUid = senderUid; }
}

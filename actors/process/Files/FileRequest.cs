// FileRequest: one operation on state a FileOwner owns, carried to the owner
// as a message and run there (or inline when the caller is on the owner's
// CPU). Data travels in the request: a write carries the bytes already
// copied from user memory, a read brings bytes back for the caller to copy
// out — the owner never touches another process's memory.
//
// Reply: Result (a count, 0, -errno, or WouldBlock after registering Waiter).
// Peer death: a reply to an exited thread is dropped; a wait it registered is
// dropped when next woken (its event no longer matches).
using Kevlar.Runtime.Async;
using Kevlar.Runtime.Scheduling;

namespace Kevlar.Process.Files;

public abstract class FileRequest : Message
{
    /// <summary>The result meaning "nothing now; Waiter is registered and will be woken".</summary>
    public const long WouldBlock = long.MinValue;

    /// <summary>The caller and the event its reply sets; null when run inline.</summary>
    public UserThread? Thread;
    public KernelEvent<int>? Reply;

    /// <summary>Set by Execute on the owner's CPU; read by the caller after the reply.</summary>
    public long Result;

    /// <summary>Runs the operation on the owner's CPU: the result (see WouldBlock).</summary>
    public abstract long Execute();
}

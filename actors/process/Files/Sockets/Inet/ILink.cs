// ILink: what carries the stack's outgoing packets. Loopback (the default,
// lo) hands each straight back to the stack's input on the stack's actor; a
// device's link will hand them to its driver actor. Tests put a lossy link
// here (drops, duplicates, reordering) to exercise retransmission.
namespace Kevlar.Process.Files.Sockets.Inet;

public interface ILink
{
    /// <summary>Carries <paramref name="packet"/> (a whole IPv4 packet), called on the stack's actor.
    /// <paramref name="fromThread"/>: a thread's send, whose deliveries the stack returns to it.</summary>
    void Carry(InetStack stack, byte[] packet, bool fromThread);
}

/// <summary>lo: every packet comes straight back in.</summary>
public sealed class LoopbackLink : ILink
{
    public static readonly LoopbackLink Instance = new LoopbackLink();

    public void Carry(InetStack stack, byte[] packet, bool fromThread) => stack.Input(packet, fromThread, true);
}

// ILink: what carries the stack's outgoing packets. Loopback (the default,
// lo) hands each straight back to the stack's input on the stack's actor; a
// device's link will hand them to its driver actor. Tests put a lossy link
// here (drops, duplicates, reordering) to exercise retransmission.
namespace Kevlar.Process.Files.Sockets.Inet;

public interface ILink
{
    /// <summary>Carries <paramref name="packet"/> (a whole IPv4 packet), called on the sender's CPU.
    /// <paramref name="deliveries"/>: a thread's send collects its deliveries there for it to make
    /// (null: an actor's send, whose deliveries are posted).</summary>
    void Carry(InetStack stack, byte[] packet, System.Collections.Generic.List<InetStack.Delivery>? deliveries);
}

/// <summary>lo: every packet comes straight back in.</summary>
public sealed class LoopbackLink : ILink
{
    public static readonly LoopbackLink Instance = new LoopbackLink();

    public void Carry(InetStack stack, byte[] packet, System.Collections.Generic.List<InetStack.Delivery>? deliveries)
        => stack.Input(packet, deliveries, true);
}

// InputResult: what one LineDiscipline.Input call did.
namespace Kevlar.Vfs.Tty;

/// <summary>The outcome of <see cref="LineDiscipline.Input"/>.</summary>
public readonly struct InputResult
{
    public InputResult(int consumed, int signal, bool flushOutput)
    {
        Consumed = consumed;
        Signal = signal;
        FlushOutput = flushOutput;
    }

    /// <summary>Bytes taken from the front of the input. Fewer than offered when a signal
    /// character ended the call (offer the rest again after acting on it) or when the input
    /// queue is full (offer the rest after a Read frees room, as Linux keeps them in the tty's
    /// flip buffer, or drop them).</summary>
    public int Consumed { get; }

    /// <summary>0, or the signal the last consumed byte raised for the tty's foreground process
    /// group: <see cref="LineDiscipline.SIGINT"/>, <see cref="LineDiscipline.SIGQUIT"/> or
    /// <see cref="LineDiscipline.SIGTSTP"/>.</summary>
    public int Signal { get; }

    /// <summary>True when the signal flushed the queues (NOFLSH clear): the input queue is already
    /// empty; the owner drops output it still holds for the device.</summary>
    public bool FlushOutput { get; }
}

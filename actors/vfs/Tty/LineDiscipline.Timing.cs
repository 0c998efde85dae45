// LineDiscipline.Timing: when a non-canonical read completes (VMIN and VTIME,
// termios(3) and n_tty_read). The owner keeps the clock: it holds a waiting
// read, re-asks after each Input and when a timer for ReadTimeoutNanoseconds
// fires, and answers with Read once the answer is yes (0 bytes when nothing
// arrived: a timeout or a VMIN = VTIME = 0 poll).
namespace Kevlar.Vfs.Tty;

public sealed partial class LineDiscipline
{
    /// <summary>VTIME as nanoseconds (tenths of a second); 0 when VTIME is 0.</summary>
    public ulong ReadTimeoutNanoseconds => Cc(Termios.VTIME) * 100_000_000UL;

    /// <summary>Whether a non-canonical read of <paramref name="requested"/> bytes completes now,
    /// with <paramref name="available"/> bytes queued (Available),
    /// <paramref name="sinceStartNs"/> since the read began and
    /// <paramref name="sinceLastInputNs"/> since the later of the read's start and the last byte's
    /// arrival. With m = VMIN and t = VTIME × 0.1 s:
    /// <list type="bullet">
    /// <item>m = 0, t = 0 (polling): at once, with whatever is there, maybe nothing.</item>
    /// <item>m &gt; 0, t = 0 (blocking): once min(m, requested) bytes are there; no timeout.</item>
    /// <item>m = 0, t &gt; 0 (read timeout): once a byte is there, or t after the read began
    /// (then with 0 bytes).</item>
    /// <item>m &gt; 0, t &gt; 0 (inter-byte timeout): once min(m, requested) bytes are there, or
    /// once at least one is and t has passed since the last arrived; the timer starts with the
    /// first byte, so the read waits for that one indefinitely.</item>
    /// </list>
    /// A canonical tty answers true exactly when a line is complete (ReadReady).</summary>
    public bool NonCanonicalReadComplete(int available, int requested, ulong sinceStartNs, ulong sinceLastInputNs)
    {
        if (_icanon) return _canonHead != _readTail;
        int vmin = Cc(Termios.VMIN);
        ulong timeout = ReadTimeoutNanoseconds;
        if (requested <= 0) return true;
        if (vmin == 0)
        {
            return timeout == 0 || available > 0 || sinceStartNs >= timeout;
        }
        if (available >= System.Math.Min(vmin, requested)) return true;
        return timeout != 0 && available > 0 && sinceLastInputNs >= timeout;
    }
}

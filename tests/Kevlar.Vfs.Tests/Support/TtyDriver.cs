// TtyDriver: a line discipline with a recording sink and Latin-1 helpers, the
// way a tty actor would drive it.
using Kevlar.Vfs.Tty;
using Xunit;

namespace Kevlar.Vfs.Tests.Support;

public sealed class TtyDriver
{
    public TtyDriver(Termios? termios = null)
    {
        Ld = termios == null ? new LineDiscipline() : new LineDiscipline(termios);
    }

    public LineDiscipline Ld { get; }

    public RecordingSink Echo { get; } = new();

    /// <summary>Feeds <paramref name="text"/> (Latin-1) in one Input call.</summary>
    public InputResult Type(string text) => Ld.Input(Bytes(text), Echo);

    /// <summary>One Read into a buffer of <paramref name="size"/> bytes: the text, or null for -EAGAIN.</summary>
    public string? Read(int size = 8192)
    {
        var buf = new byte[size];
        int n = Ld.Read(buf);
        if (n == -Errno.EAGAIN) return null;
        Assert.True(n >= 0, "Read returned " + n);
        return new string(buf.Take(n).Select(b => (char)b).ToArray());
    }

    public static byte[] Bytes(string text) => text.Select(c => (byte)c).ToArray();
}

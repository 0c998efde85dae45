// TermiosTests: Linux's default termios and winsize, and their exact kernel
// byte forms (the values `stty -a` and TCGETS show on a fresh Linux tty).
using Kevlar.Vfs.Tty;
using Xunit;

namespace Kevlar.Vfs.Tests.Tty;

public class TermiosTests
{
    // TCGETS on a fresh Linux serial tty: iflag 0x500, oflag 0x5, cflag 0x4bf,
    // lflag 0x8a3b, line 0, then INIT_C_CC and two zero slots.
    private static readonly byte[] s_linuxDefault =
    [
        0x00, 0x05, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0xBF, 0x04, 0x00, 0x00, 0x3B, 0x8A, 0x00, 0x00,
        0x00,
        0x03, 0x1C, 0x7F, 0x15, 0x04, 0x00, 0x01, 0x00, 0x11, 0x13, 0x1A, 0x00, 0x12, 0x0F, 0x17, 0x16, 0x00, 0x00, 0x00,
    ];

    [Fact]
    public void Encode_Default_GivesLinuxBytes()
    {
        var bytes = new byte[Termios.Size];
        Termios.CreateDefault().Encode(bytes);

        Assert.Equal(36, Termios.Size);
        Assert.Equal(s_linuxDefault, bytes);
    }

    [Fact]
    public void CreateDefault_Flags_AreLinuxNamedFlags()
    {
        Termios t = Termios.CreateDefault();

        Assert.Equal(Termios.ICRNL | Termios.IXON, t.Iflag);
        Assert.Equal(Termios.OPOST | Termios.ONLCR, t.Oflag);
        Assert.Equal(Termios.B38400 | Termios.CS8 | Termios.CREAD | Termios.HUPCL, t.Cflag);
        Assert.Equal(Termios.ISIG | Termios.ICANON | Termios.ECHO | Termios.ECHOE | Termios.ECHOK | Termios.ECHOCTL
            | Termios.ECHOKE | Termios.IEXTEN, t.Lflag);
        Assert.Equal((byte)1, t.Cc[Termios.VMIN]);
        Assert.Equal((byte)0, t.Cc[Termios.VTIME]);
    }

    [Fact]
    public void TryDecode_EncodedBytes_RoundTrips()
    {
        Termios t = Termios.CreateDefault();
        t.Lflag &= ~(Termios.ICANON | Termios.ECHO);
        t.Cc[Termios.VMIN] = 5;
        t.Cc[Termios.VTIME] = 7;
        t.Cflag = 0x12345678;
        var bytes = new byte[Termios.Size];
        t.Encode(bytes);

        Assert.True(Termios.TryDecode(bytes, out Termios? back));
        var again = new byte[Termios.Size];
        back!.Encode(again);

        Assert.Equal(bytes, again);
        Assert.Equal(new byte[] { 0x78, 0x56, 0x34, 0x12 }, bytes[8..12]);
        Assert.Equal(t.Lflag, back.Lflag);
        Assert.Equal(5, back.Cc[Termios.VMIN]);
    }

    [Fact]
    public void TryDecode_ShortInput_Fails()
    {
        Assert.False(Termios.TryDecode(new byte[35], out Termios? t));
        Assert.Null(t);
    }

    [Fact]
    public void Clone_ChangingCopy_LeavesOriginal()
    {
        Termios t = Termios.CreateDefault();
        Termios c = t.Clone();
        c.Cc[Termios.VINTR] = 1;

        Assert.Equal(3, t.Cc[Termios.VINTR]);
    }

    [Fact]
    public void WindowSize_EncodeDecode_RoundTripsExactBytes()
    {
        var w = new WindowSize { Rows = 24, Columns = 80, XPixels = 0x1234, YPixels = 1 };
        var bytes = new byte[WindowSize.Size];
        w.Encode(bytes);

        Assert.Equal(new byte[] { 24, 0, 80, 0, 0x34, 0x12, 1, 0 }, bytes);
        Assert.True(WindowSize.TryDecode(bytes, out WindowSize back));
        Assert.Equal(w, back);
        Assert.False(WindowSize.TryDecode(new byte[7], out _));
    }
}

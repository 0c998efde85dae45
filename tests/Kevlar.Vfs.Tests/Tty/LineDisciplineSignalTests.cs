// LineDisciplineSignalTests: ISIG characters raise signals for the foreground
// process group, flush unless NOFLSH, and echo as ^C with ECHOCTL.
using Kevlar.Vfs.Tests.Support;
using Kevlar.Vfs.Tty;
using Xunit;

namespace Kevlar.Vfs.Tests.Tty;

public class LineDisciplineSignalTests
{
    [Fact]
    public void Intr_MidLine_RaisesSigintFlushesAndEchoesCaretC()
    {
        var t = new TtyDriver();
        t.Type("done\npartial");
        t.Echo.Take();

        InputResult r = t.Type("\x03rest\n");

        Assert.Equal(LineDiscipline.SIGINT, r.Signal);
        Assert.Equal(1, r.Consumed);
        Assert.True(r.FlushOutput);
        Assert.Equal("^C", t.Echo.Take());
        Assert.Null(t.Read());
        Assert.Equal(0, t.Ld.Available);
    }

    [Fact]
    public void Intr_RestOfInput_OfferedAgainIsProcessed()
    {
        var t = new TtyDriver();
        byte[] input = TtyDriver.Bytes("ab\x03" + "cd\n");

        InputResult r = t.Ld.Input(input, t.Echo);
        Assert.Equal(3, r.Consumed);
        InputResult rest = t.Ld.Input(input.AsSpan(r.Consumed), t.Echo);

        Assert.Equal(0, rest.Signal);
        Assert.Equal(3, rest.Consumed);
        Assert.Equal("ab^Ccd\r\n", t.Echo.Take());
        Assert.Equal("cd\n", t.Read());
    }

    [Fact]
    public void QuitAndSusp_RaiseSigquitAndSigtstp()
    {
        var t = new TtyDriver();

        Assert.Equal(LineDiscipline.SIGQUIT, t.Type("\x1c").Signal);
        Assert.Equal(LineDiscipline.SIGTSTP, t.Type("\x1a").Signal);
        Assert.Equal("^\\^Z", t.Echo.Take());
    }

    [Fact]
    public void Intr_WithNoflsh_KeepsQueuedInput()
    {
        Termios termios = Termios.CreateDefault();
        termios.Lflag |= Termios.NOFLSH;
        var t = new TtyDriver(termios);
        t.Type("keep\n");

        InputResult r = t.Type("\x03");

        Assert.Equal(LineDiscipline.SIGINT, r.Signal);
        Assert.False(r.FlushOutput);
        Assert.Equal("keep\n", t.Read());
    }

    [Fact]
    public void Intr_WithoutEchoctl_EchoesRawByte()
    {
        Termios termios = Termios.CreateDefault();
        termios.Lflag &= ~Termios.ECHOCTL;
        var t = new TtyDriver(termios);

        t.Type("\x03");

        Assert.Equal("\x03", t.Echo.Take());
    }

    [Fact]
    public void Intr_WithoutIsig_IsOrdinaryInput()
    {
        Termios termios = Termios.CreateDefault();
        termios.Lflag &= ~Termios.ISIG;
        var t = new TtyDriver(termios);

        InputResult r = t.Type("\x03\n");

        Assert.Equal(0, r.Signal);
        Assert.Equal("\x03\n", t.Read());
    }

    [Fact]
    public void Intr_InRawMode_StillSignals()
    {
        Termios termios = Termios.CreateDefault();
        termios.Lflag &= ~(Termios.ICANON | Termios.ECHO);
        var t = new TtyDriver(termios);
        t.Type("xy");

        InputResult r = t.Type("\x03");

        Assert.Equal(LineDiscipline.SIGINT, r.Signal);
        Assert.Null(t.Read());
    }

    [Fact]
    public void Intr_WhileOutputStopped_RestartsOutput()
    {
        var t = new TtyDriver();
        t.Type("\x13");
        Assert.True(t.Ld.OutputStopped);

        t.Type("\x03");

        Assert.False(t.Ld.OutputStopped);
    }
}

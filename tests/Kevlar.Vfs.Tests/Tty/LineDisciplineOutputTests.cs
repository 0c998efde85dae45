// LineDisciplineOutputTests: OPOST output processing of what programs write.
using Kevlar.Vfs.Tests.Support;
using Kevlar.Vfs.Tty;
using Xunit;

namespace Kevlar.Vfs.Tests.Tty;

public class LineDisciplineOutputTests
{
    private static string Output(string text, uint oflag)
    {
        Termios termios = Termios.CreateDefault();
        termios.Oflag = oflag;
        var ld = new LineDiscipline(termios);
        var sink = new RecordingSink();
        ld.ProcessOutput(TtyDriver.Bytes(text), sink);
        return sink.Take();
    }

    [Fact]
    public void Onlcr_Newline_BecomesCrLf()
    {
        Assert.Equal("a\r\nb\r\n", Output("a\nb\n", Termios.OPOST | Termios.ONLCR));
    }

    [Fact]
    public void NoOpost_BytesPassUnchanged()
    {
        Assert.Equal("a\nb\r", Output("a\nb\r", Termios.ONLCR));
    }

    [Fact]
    public void Ocrnl_CarriageReturn_BecomesNewlineWithoutOnlcr()
    {
        Assert.Equal("a\n", Output("a\r", Termios.OPOST | Termios.OCRNL | Termios.ONLCR));
    }

    [Fact]
    public void Onocr_CarriageReturnAtColumnZero_IsDropped()
    {
        Assert.Equal("\nab\r", Output("\r\nab\r", Termios.OPOST | Termios.ONOCR));
    }

    [Fact]
    public void Onlret_NewlineResetsColumnForOnocr()
    {
        Assert.Equal("ab\n", Output("ab\n\r", Termios.OPOST | Termios.ONOCR | Termios.ONLRET));
    }

    [Fact]
    public void Xtabs_TabExpandsToNextStop()
    {
        Assert.Equal("abc     d", Output("abc\td", Termios.OPOST | Termios.XTABS));
    }

    [Fact]
    public void Olcuc_LowerCaseShownUpper()
    {
        Assert.Equal("HI!", Output("hi!", Termios.OPOST | Termios.OLCUC));
    }

    [Fact]
    public void Output_LongWrite_AllBytesArriveInOrder()
    {
        string text = string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + i % 26)));

        Assert.Equal(text, Output(text, Termios.OPOST | Termios.ONLCR));
    }

    [Fact]
    public void EraseTab_AfterPromptOutput_UsesColumnWhereLineBegan()
    {
        var t = new TtyDriver();
        t.Ld.ProcessOutput(TtyDriver.Bytes("$ "), t.Echo);
        t.Type("\t\x7f");

        Assert.Equal("$ \t\b\b\b\b\b\b", t.Echo.Take());
    }
}
